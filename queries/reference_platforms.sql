-- reference_platforms: canonical platforms and their owners.
-- parameters: none
select
    platform,
    owner
from platforms
order by platform
