-- incidents_by_district: events and deaths per district (admin2) within region, per source.
-- parameters: $filters (the global filters: period, regions, groups, event types, event datasets)
select
    dataset_id,
    source,
    coalesce(region, 'Unknown') as region,
    coalesce(district, 'Unknown') as district,
    sum(events) as events,
    sum(killed) as killed,
    min(first_event) as first_event,
    max(last_event) as last_event
from incident_district_cells_in($filters)
group by all
order by source, events desc, district
