-- incident_points: located events of one event-level source for the point map, newest first, at most $limit.
-- parameters: $date_from, $date_to (dates), $regions, $groups (text lists, empty = all),
--             $dataset_ids (event dataset ids, empty = all active), $event_types (text list, empty = all),
--             $limit (row cap: a map of more points than this is unreadable and heavy on a phone)
-- Aggregated sources carry no coordinates, so they return no rows and the page shows no point map.
select
    source,
    source_event_id,
    event_date,
    region,
    district,
    location,
    group_name,
    coalesce(event_type, 'Unknown') as event_type,
    killed,
    injured,
    latitude,
    longitude
from filtered_incidents(
    $date_from::date,
    $date_to::date,
    $regions::varchar[],
    $groups::varchar[],
    $dataset_ids::integer[]
)
where latitude is not null
    and longitude is not null
    and (len($event_types::varchar[]) = 0 or list_contains($event_types::varchar[], coalesce(event_type, 'Unknown')))
order by event_date desc, source_event_id
limit $limit
