-- Incidents as every page reads them: current rows of active event datasets that pass the global filters,
-- raw (filtered_incidents) or from the monthly rollups (incident_cells_in, incident_district_cells_in).
-- Each takes the one $filters struct (010_filters.sql).

-- Every incident condition but the period, once for raw rows and rollup cells alike. Events without a type
-- are 'Unknown', as the charts name them, so that choice finds them.
create or replace macro incident_chosen(filters, dataset_id, region, parent_region, group_name, event_type) as
    chosen(filter_dataset_ids(filters), dataset_id)
    and in_chosen_regions(filters, region, parent_region)
    and chosen(filter_groups(filters), group_name)
    and chosen(filter_event_types(filters), coalesce(event_type, 'Unknown'));

create or replace macro filtered_incidents(filters) as table
select
    i.*,
    d.name as source,
    coalesce(r.parent_region, i.region) as rollup_region
from incidents as i
join active_datasets as d
    on d.dataset_id = i.dataset_id
left join regions as r
    on r.region = i.region
where i.is_current
    and in_chosen_period(filters, i.event_date)
    and incident_chosen(filters, i.dataset_id, i.region, r.parent_region, i.group_name, i.event_type);

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

-- Whether a day lies outside the full months of the filter period (read raw, not from the rollup).
create or replace macro outside_full_months(filters, day) as
    day < full_months_from(filter_date_from(filters))
    or day >= (full_months_to(filter_date_to(filters)) + interval 1 month)::date;

-- Same columns and filters as filtered_incidents, aggregated: event_date is the month for rollup rows
-- and the day for raw rows at the edges; rows counts the incidents behind a line.
create or replace macro incident_cells_in(filters) as table
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
join active_datasets as d
    on d.dataset_id = c.dataset_id
left join regions as r
    on r.region = c.region
where c.month between full_months_from(filter_date_from(filters))
        and full_months_to(filter_date_to(filters))
    and incident_chosen(filters, c.dataset_id, c.region, r.parent_region, c.group_name, c.event_type)
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
from filtered_incidents(filters)
where outside_full_months(filters, event_date);

-- The district rollup has no event type: with event types chosen, every row is read raw.
create or replace macro incident_district_cells_in(filters) as table
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
join active_datasets as d
    on d.dataset_id = c.dataset_id
left join regions as r
    on r.region = c.region
where len(filter_event_types(filters)) = 0
    and c.month between full_months_from(filter_date_from(filters))
        and full_months_to(filter_date_to(filters))
    and incident_chosen(filters, c.dataset_id, c.region, r.parent_region, c.group_name, null)
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
from filtered_incidents(filters)
where len(filter_event_types(filters)) > 0
    or outside_full_months(filters, event_date);
