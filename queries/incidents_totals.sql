-- incidents_totals: one row per source: events, deaths, first and last event date in the filtered view.
-- parameters: $date_from, $date_to (dates), $regions, $groups (text lists, empty = all),
--             $dataset_ids (event dataset ids, empty = all active)
select
    dataset_id,
    source,
    sum(rows) as rows,
    sum(events) as events,
    sum(killed) as killed,
    min(first_event) as first_event,
    max(last_event) as last_event
from incident_cells_in(
    $date_from::date,
    $date_to::date,
    $regions::varchar[],
    $groups::varchar[],
    $dataset_ids::integer[]
)
group by all
order by source
