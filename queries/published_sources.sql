-- published_sources: every source of the active published figures, the most prolific first, for one colour
-- per source on every chart.
-- parameters: none
select
    source,
    count(*) as figures
from published_figures
where dataset_id in (select dataset_id from datasets where status = 'active')
group by source
order by figures desc, source
