-- reference_platform_aliases: every known spelling of a platform, keyed by its normalised form.
-- parameters: none
select
    alias_key,
    alias,
    platform
from platform_aliases
order by alias_key
