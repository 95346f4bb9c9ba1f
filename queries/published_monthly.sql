-- published_monthly: national published figures per calendar month, one per source, metric and month, for
-- the monthly trend "2022 to now, from published reports" (sources side by side, never summed).
-- Where a source published several numbers for a month (a restatement, a lower bound and the exact figure,
-- two outlets), the one that wins (active_published_figures.preference): charts show one number per source
-- and month.
-- parameters: $metrics (text list), $filters (the global filters: months inside the period)
with monthly as (
    select
        figure_id,
        source,
        source_kind,
        metric,
        period_start as month,
        period_label,
        value,
        value_kind,
        confidence,
        definition,
        citation_url,
        publication,
        published_on,
        count(*) over (partition by source, metric, period_start) as figures_this_month,
        row_number() over (
            partition by source, metric, period_start
            order by preference
        ) as pick
    from active_published_figures
    where region is null
        and group_name is null
        and unit = 'count'
        and list_contains($metrics::varchar[], metric)
        and period_start = date_trunc('month', period_start)
        and period_end = last_day(period_start)
        and period_start >= date_trunc('month', filter_date_from($filters))
        and period_end <= last_day(filter_date_to($filters))
)
select
    month,
    period_label,
    source,
    source_kind,
    metric,
    value,
    value_kind,
    confidence,
    figures_this_month,
    figure_id,
    publication,
    definition,
    citation_url
from monthly
where pick = 1
order by metric, source, month
