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
