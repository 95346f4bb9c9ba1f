-- incidents_by_map_region: events and deaths per province of the shipped map (ex-FATA rolled into Khyber
-- Pakhtunkhwa, as the map and the 2023 census count it), with rates per million people. Every map region
-- appears, with zeros where nothing happened, so the choropleth has no holes.
-- parameters: $date_from, $date_to (dates), $regions, $groups (text lists, empty = all),
--             $dataset_ids (event dataset ids, empty = all active)
with by_region as (
    select
        dataset_id,
        source,
        rollup_region as region,
        sum(events) as events,
        sum(killed) as killed
    from incident_cells_in(
    $date_from::date,
    $date_to::date,
    $regions::varchar[],
    $groups::varchar[],
    $dataset_ids::integer[]
)
    where rollup_region is not null
    group by all
),
sources as (
    select distinct
        dataset_id,
        source
    from by_region
)
select
    s.dataset_id,
    s.source,
    r.region,
    r.geo_name,
    r.iso_code,
    coalesce(b.events, 0) as events,
    coalesce(b.killed, 0) as killed,
    r.population,
    r.population_year,
    coalesce(b.events, 0) / r.population * 1e6 as events_per_million,
    coalesce(b.killed, 0) / r.population * 1e6 as killed_per_million
from regions as r
cross join sources as s
left join by_region as b
    on b.region = r.region
    and b.dataset_id = s.dataset_id
where r.geo_name is not null
order by s.source, events desc
