-- incidents_totals: one row per source: events, deaths, first and last event date in the filtered view.
-- parameters: $date_from, $date_to (dates), $regions, $groups (text lists, empty = all),
--             $dataset_ids (event dataset ids, empty = all active)
select
    dataset_id,
    source,
    count(*) as rows,
    sum(events) as events,
    sum(killed) as killed,
    min(event_date) as first_event,
    max(event_date) as last_event
from filtered_incidents(
    $date_from::date,
    $date_to::date,
    $regions::varchar[],
    $groups::varchar[],
    $dataset_ids::integer[]
)
group by all
order by source
