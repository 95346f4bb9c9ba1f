-- incidents_by_region: events and deaths per canonical region and source, with rates per million people
-- where the region has a census population (ex-FATA has none of its own: see incidents_by_map_region).
-- parameters: $date_from, $date_to (dates), $regions, $groups (text lists, empty = all),
--             $dataset_ids (event dataset ids, empty = all active)
with by_region as (
    select
        dataset_id,
        source,
        coalesce(region, 'Unknown') as region,
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
)
select
    b.dataset_id,
    b.source,
    b.region,
    r.parent_region,
    b.events,
    b.killed,
    r.population,
    b.events / r.population * 1e6 as events_per_million,
    b.killed / r.population * 1e6 as killed_per_million
from by_region as b
left join regions as r
    on r.region = b.region
order by b.source, b.events desc
