-- incidents_by_map_region: events and deaths per province of the shipped map (ex-FATA rolled into Khyber
-- Pakhtunkhwa, as the map and the 2023 census count it), with yearly rates per million people. Every map
-- region appears, with zeros where nothing happened, so the choropleth has no holes.
-- A rate is the yearly average: events in the period / years the period and the dataset's coverage share
-- / the census population * 1e6, so a 1989-2021 total is never divided as if it were one year.
-- parameters: $filters (the global filters: period, regions, groups, event types, event datasets)
with by_region as (
    select
        dataset_id,
        source,
        rollup_region as region,
        sum(events) as events,
        sum(killed) as killed
    from incident_cells_in($filters)
    where rollup_region is not null
    group by all
),
sources as (
    select distinct
        b.dataset_id,
        b.source,
        greatest(d.coverage_start, filter_date_from($filters)) as rate_from,
        least(d.coverage_end, filter_date_to($filters)) as rate_to,
        greatest(date_diff('day', greatest(d.coverage_start, filter_date_from($filters)),
                           least(d.coverage_end, filter_date_to($filters))) + 1, 1) / 365.25 as years
    from by_region as b
    join datasets as d
        on d.dataset_id = b.dataset_id
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
    s.rate_from,
    s.rate_to,
    s.years,
    coalesce(b.events, 0) / s.years / r.population * 1e6 as events_per_million,
    coalesce(b.killed, 0) / s.years / r.population * 1e6 as killed_per_million
from regions as r
cross join sources as s
left join by_region as b
    on b.region = r.region
    and b.dataset_id = s.dataset_id
where r.geo_name is not null
order by s.source, events desc
