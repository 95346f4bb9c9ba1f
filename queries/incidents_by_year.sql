-- incidents_by_year: events and deaths per year and source (one row per source and year; never summed across sources).
-- parameters: $date_from, $date_to (dates), $regions, $groups (text lists, empty = all),
--             $dataset_ids (event dataset ids, empty = all active)
select
    dataset_id,
    source,
    year(event_date) as year,
    sum(events) as events,
    sum(killed) as killed,
    sum(injured) as injured
from incident_cells_in(
    $date_from::date,
    $date_to::date,
    $regions::varchar[],
    $groups::varchar[],
    $dataset_ids::integer[]
)
group by all
order by source, year
