-- reference_group_aliases: every known spelling of a group, keyed by its normalised form.
-- parameters: none
select
    alias_key,
    alias,
    group_name
from group_aliases
order by alias_key
