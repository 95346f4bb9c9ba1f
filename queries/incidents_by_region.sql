-- incidents_by_region: events and deaths per province and source, with yearly rates per million people.
-- One rule everywhere: a region with a parent (ex-FATA) counts inside its parent (Khyber Pakhtunkhwa), as
-- the map and the 2023 census count it, so numerator and denominator cover the same area; a rate is the
-- yearly average over the years the period and the dataset's coverage share (see incidents_by_map_region).
-- Events without a known region are 'Unknown' (no rate).
-- parameters: $filters (the global filters: period, regions, groups, event types, event datasets)
with by_region as (
    select
        dataset_id,
        source,
        coalesce(rollup_region, 'Unknown') as region,
        sum(events) as events,
        sum(killed) as killed
    from incident_cells_in($filters)
    group by all
),
coverage as (
    select
        dataset_id,
        greatest(date_diff('day', greatest(coverage_start, filter_date_from($filters)),
                           least(coverage_end, filter_date_to($filters))) + 1, 1) / 365.25 as years
    from datasets
)
select
    b.dataset_id,
    b.source,
    b.region,
    r.parent_region,
    b.events,
    b.killed,
    r.population,
    r.population_year,
    c.years,
    b.events / c.years / r.population * 1e6 as events_per_million,
    b.killed / c.years / r.population * 1e6 as killed_per_million
from by_region as b
join coverage as c
    on c.dataset_id = b.dataset_id
left join regions as r
    on r.region = b.region
order by b.source, b.events desc
