-- incidents_by_quarter: events and deaths per calendar quarter and source (to set violence beside quarterly
-- platform figures on one time axis).
-- parameters: $date_from, $date_to (dates), $regions, $groups (text lists, empty = all),
--             $dataset_ids (event dataset ids, empty = all active)
select
    dataset_id,
    source,
    date_trunc('quarter', event_date) as quarter,
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
order by source, quarter
