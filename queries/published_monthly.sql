-- published_monthly: national published figures per calendar month, one per source, metric and month, for
-- the monthly trend "2022 to now, from published reports" (sources side by side, never summed).
-- Where a source published several numbers for a month (a restatement, a lower bound and the exact figure,
-- two outlets), the exact figure beats an approximate one beats a lower bound, reported beats weak and
-- unverified, then the latest publication: charts show one number per source and month.
-- parameters: $metrics (text list), $date_from, $date_to (months inside this period)
with monthly as (
    select
        figure_id,
        source,
        source_kind,
        metric,
        period_start as month,
        period_label,
        value,
        coalesce(value_kind, 'exact') as value_kind,
        confidence,
        definition,
        citation_url,
        publication,
        published_on,
        count(*) over (partition by source, metric, period_start) as figures_this_month,
        row_number() over (
            partition by source, metric, period_start
            order by
                case coalesce(value_kind, 'exact') when 'exact' then 0 when 'approximate' then 1 else 2 end,
                case confidence when 'reported' then 0 when 'derived' then 1 when 'weak' then 2 else 3 end,
                published_on desc nulls last,
                figure_id
        ) as pick
    from published_figures
    where dataset_id in (select dataset_id from datasets where status = 'active')
        and region is null
        and group_name is null
        and unit = 'count'
        and list_contains($metrics::varchar[], metric)
        and period_start = date_trunc('month', period_start)
        and period_end = last_day(period_start)
        and period_start >= date_trunc('month', $date_from::date)
        and period_end <= last_day($date_to::date)
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
