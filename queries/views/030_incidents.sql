-- Incidents as every page reads them: the events of active datasets that pass the global filters, raw
-- (filtered_incidents) or from the monthly rollups (incident_cells_in, incident_district_cells_in).
-- Empty lists mean "all". A region filter matches a region or its parent (KP includes ex-FATA).

create or replace macro filtered_incidents(date_from, date_to, regions, groups, dataset_ids) as table
select
    i.*,
    d.name as source,
    coalesce(r.parent_region, i.region) as rollup_region
from incidents as i
join datasets as d
    on d.dataset_id = i.dataset_id
left join regions as r
    on r.region = i.region
where d.status = 'active'
    and i.is_current
    and i.event_date between date_from and date_to
    and (len(dataset_ids) = 0 or list_contains(dataset_ids, i.dataset_id))
    and (len(regions) = 0 or list_contains(regions, i.region) or list_contains(regions, r.parent_region))
    and (len(groups) = 0 or list_contains(groups, i.group_name));

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
