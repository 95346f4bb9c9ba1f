-- reference_groups: canonical militant (and other) actors with short name and ideology.
-- parameters: none
select
    group_name,
    short_name,
    ideology,
    actor_kind
from groups
order by group_name
