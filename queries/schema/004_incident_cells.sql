-- schema version 4: monthly rollups of incidents ("cells"), maintained by the loader on every load,
-- retract and restore of a living series, so page queries cost nearly the same at 10 million events as at
-- ten thousand. Only current rows (is_current) are counted. Filters on dataset status still apply at query
-- time, so a retract needs no rollup change. Two rollups: by month, region, group and event type; and by
-- month, region, district and group (districts would multiply the first one's size).

create table incident_cells (
    dataset_id integer not null,
    month date not null,
    region varchar,
    group_name varchar,
    event_type varchar,
    events bigint not null,
    killed bigint,
    injured bigint,
    rows bigint not null,
    first_event date not null,
    last_event date not null
);

create table incident_district_cells (
    dataset_id integer not null,
    month date not null,
    region varchar,
    district varchar,
    group_name varchar,
    events bigint not null,
    killed bigint,
    injured bigint,
    rows bigint not null,
    first_event date not null,
    last_event date not null
);

insert into incident_cells
select
    dataset_id,
    date_trunc('month', event_date) as month,
    region,
    group_name,
    event_type,
    sum(events),
    sum(killed),
    sum(injured),
    count(*),
    min(event_date),
    max(event_date)
from incidents
where is_current
group by all;

insert into incident_district_cells
select
    dataset_id,
    date_trunc('month', event_date) as month,
    region,
    district,
    group_name,
    sum(events),
    sum(killed),
    sum(injured),
    count(*),
    min(event_date),
    max(event_date)
from incidents
where is_current
group by all;

-- The first and last month a filter covers completely; cells of those months and the months between are
-- read from the rollup, and the days of partly covered months at either end from the raw rows.
create or replace macro full_months_from(date_from) as
    case
        when date_trunc('month', date_from::date) = date_from::date then date_from::date
        else (date_trunc('month', date_from::date) + interval 1 month)::date
    end;

create or replace macro full_months_to(date_to) as
    case
        when last_day(date_to::date) = date_to::date then date_trunc('month', date_to::date)::date
        else (date_trunc('month', date_to::date) - interval 1 month)::date
    end;

-- Same columns and filters as filtered_incidents, aggregated: event_date is the month for rollup rows
-- and the day for raw rows at the edges; rows counts the incidents behind a line.
create or replace macro incident_cells_in(date_from, date_to, regions, groups, dataset_ids) as table
select
    c.dataset_id,
    d.name as source,
    c.month as event_date,
    c.region,
    coalesce(r.parent_region, c.region) as rollup_region,
    c.group_name,
    c.event_type,
    c.events,
    c.killed,
    c.injured,
    c.rows,
    c.first_event,
    c.last_event
from incident_cells as c
join datasets as d
    on d.dataset_id = c.dataset_id
left join regions as r
    on r.region = c.region
where d.status = 'active'
    and c.month between full_months_from(date_from) and full_months_to(date_to)
    and (len(dataset_ids) = 0 or list_contains(dataset_ids, c.dataset_id))
    and (len(regions) = 0 or list_contains(regions, c.region) or list_contains(regions, r.parent_region))
    and (len(groups) = 0 or list_contains(groups, c.group_name))
union all
select
    dataset_id,
    source,
    event_date,
    region,
    rollup_region,
    group_name,
    event_type,
    events,
    killed,
    injured,
    1 as rows,
    event_date as first_event,
    event_date as last_event
from filtered_incidents(date_from, date_to, regions, groups, dataset_ids)
where event_date < full_months_from(date_from)
    or event_date >= (full_months_to(date_to) + interval 1 month)::date;

create or replace macro incident_district_cells_in(date_from, date_to, regions, groups, dataset_ids) as table
select
    c.dataset_id,
    d.name as source,
    c.month as event_date,
    c.region,
    c.district,
    c.group_name,
    c.events,
    c.killed,
    c.injured,
    c.rows,
    c.first_event,
    c.last_event
from incident_district_cells as c
join datasets as d
    on d.dataset_id = c.dataset_id
left join regions as r
    on r.region = c.region
where d.status = 'active'
    and c.month between full_months_from(date_from) and full_months_to(date_to)
    and (len(dataset_ids) = 0 or list_contains(dataset_ids, c.dataset_id))
    and (len(regions) = 0 or list_contains(regions, c.region) or list_contains(regions, r.parent_region))
    and (len(groups) = 0 or list_contains(groups, c.group_name))
union all
select
    dataset_id,
    source,
    event_date,
    region,
    district,
    group_name,
    events,
    killed,
    injured,
    1 as rows,
    event_date as first_event,
    event_date as last_event
from filtered_incidents(date_from, date_to, regions, groups, dataset_ids)
where event_date < full_months_from(date_from)
    or event_date >= (full_months_to(date_to) + interval 1 month)::date;
