-- published_figures_by_period: published figures for the chosen metrics, one row per figure, national
-- unless a region is asked for, with definition, citation and confidence, for "one number, many sources".
-- parameters: $metrics (text list, empty = all), $sources (text list, empty = all),
--             $region (text, '' = national figures only), $group (text, '' = figures not about one group)
select
    figure_id,
    source,
    source_kind,
    publication,
    published_on,
    period_start,
    period_end,
    period_label,
    year(period_end) as year,
    region,
    group_name,
    platform,
    metric,
    value,
    value_kind,
    unit,
    definition,
    citation_url,
    confidence,
    note
from active_published_figures
where (len($metrics::varchar[]) = 0 or list_contains($metrics::varchar[], metric))
    and (len($sources::varchar[]) = 0 or list_contains($sources::varchar[], source))
    and coalesce(region, '') = $region
    and coalesce(group_name, '') = $group
order by metric, year, source, figure_id
