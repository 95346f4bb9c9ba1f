-- reference_region_aliases: every known spelling of a region, keyed by its normalised form.
-- parameters: none
select
    alias_key,
    alias,
    region
from region_aliases
order by alias_key
