-- insert_incident_district_cells: the monthly rollup (region, district, group) of one dataset's current rows.
-- parameters: $dataset_id
insert into incident_district_cells
select
    dataset_id,
    date_trunc('month', event_date) as month,
    region,
    district,
    group_name,
    sum(events) as events,
    sum(killed) as killed,
    sum(injured) as injured,
    count(*) as rows,
    min(event_date) as first_event,
    max(event_date) as last_event
from incidents
where dataset_id = $dataset_id
    and is_current
group by all
