-- incidents_by_district: events and deaths per district (admin2) within region, per source.
-- parameters: $date_from, $date_to (dates), $regions, $groups (text lists, empty = all),
--             $dataset_ids (event dataset ids, empty = all active)
select
    dataset_id,
    source,
    coalesce(region, 'Unknown') as region,
    coalesce(district, 'Unknown') as district,
    sum(events) as events,
    sum(killed) as killed,
    min(first_event) as first_event,
    max(last_event) as last_event
from incident_district_cells_in(
    $date_from::date,
    $date_to::date,
    $regions::varchar[],
    $groups::varchar[],
    $dataset_ids::integer[]
)
group by all
order by source, events desc, district
