-- published_sources: every source of the active published figures, the most prolific first, for one colour
-- per source on every chart.
-- parameters: none
select
    source,
    count(*) as figures
from active_published_figures
group by source
order by figures desc, source
