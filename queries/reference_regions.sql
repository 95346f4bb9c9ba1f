-- reference_regions: canonical regions with ISO code, map name, parent (ex-FATA -> KP) and population.
-- parameters: none
select
    region,
    iso_code,
    geo_name,
    parent_region,
    population,
    population_year,
    population_source
from regions
order by region
