-- incident_points: located events of one event-level source for the point map, newest first, at most $limit.
-- parameters: $filters (the global filters: period, regions, groups, event types, event datasets),
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
from filtered_incidents($filters)
where latitude is not null
    and longitude is not null
order by event_date desc, source_event_id
limit $limit
