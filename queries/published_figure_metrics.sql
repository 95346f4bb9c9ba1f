-- published_figure_metrics: metrics with national calendar-year figures, with how many sources report each.
-- parameters: none
select
    metric,
    unit,
    count(*) as figures,
    count(distinct source) as sources,
    min(year(period_end)) as first_year,
    max(year(period_end)) as last_year
from active_published_figures
where region is null
group by all
order by sources desc, figures desc, metric
