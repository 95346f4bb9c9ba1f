-- incident_events: the underlying events for a drill-down table, newest first, at most $limit rows.
-- parameters: $date_from, $date_to (dates), $regions, $groups (text lists, empty = all),
--             $dataset_ids (event dataset ids, empty = all active)
--             $limit (row cap: the page never receives a whole dataset)
select
    source,
    source_event_id,
    event_date,
    date_precision,
    region,
    district,
    location,
    group_name,
    group_raw,
    event_type,
    killed,
    injured
from filtered_incidents(
    $date_from::date,
    $date_to::date,
    $regions::varchar[],
    $groups::varchar[],
    $dataset_ids::integer[]
)
order by event_date desc, source_event_id
limit $limit
