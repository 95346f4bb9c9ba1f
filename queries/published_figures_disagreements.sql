-- published_figures_disagreements: metric, year and area where sources (or revisions) give different
-- numbers for the same calendar-year period: the spread a reader should know about.
-- parameters: none
with yearly as (
    select
        metric,
        coalesce(region, 'National') as area,
        coalesce(group_name, '') as group_name,
        year(period_end) as year,
        source,
        value
    from active_published_figures
    where unit = 'count'
        and period_start = make_date(year(period_end), 1, 1)
        and period_end = make_date(year(period_end), 12, 31)
)
select
    metric,
    area,
    group_name,
    year,
    count(distinct source) as sources,
    count(distinct value) as distinct_values,
    min(value) as lowest,
    max(value) as highest,
    string_agg(distinct source, '; ' order by source) as source_list
from yearly
group by all
having count(distinct value) > 1
order by metric, area, year
