-- incidents_by_event_type: events and deaths per event type (UCDP type of violence, ACLED event type, ...).
-- parameters: $date_from, $date_to (dates), $regions, $groups (text lists, empty = all),
--             $dataset_ids (event dataset ids, empty = all active)
select
    dataset_id,
    source,
    coalesce(event_type, 'Unknown') as event_type,
    sum(events) as events,
    sum(killed) as killed
from incident_cells_in(
    $date_from::date,
    $date_to::date,
    $regions::varchar[],
    $groups::varchar[],
    $dataset_ids::integer[]
)
group by all
order by source, events desc
