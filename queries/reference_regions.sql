-- reference_regions: canonical regions with their country, ISO code, map name, parent (ex-FATA -> KP)
-- and population.
-- parameters: none
select
    region,
    country,
    iso_code,
    geo_name,
    parent_region,
    population,
    population_year,
    population_source
from regions
order by region
