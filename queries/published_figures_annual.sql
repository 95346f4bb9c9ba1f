-- published_figures_annual: one figure per source and calendar year for one metric and area, full calendar
-- years only, so sources can stand side by side per year ("one number, many sources"). Where a source
-- published several numbers for a year (an early lower bound, then the restated figure), the exact figure
-- beats an approximate one beats a lower bound, reported beats derived beats weak, then the latest publication.
-- parameters: $metric (text), $region (text, '' = national), $date_from, $date_to (years inside this period)
with annual as (
    select
        figure_id,
        source,
        source_kind,
        year(period_end) as year,
        value,
        unit,
        definition,
        confidence,
        coalesce(value_kind, 'exact') as value_kind,
        citation_url,
        count(*) over (partition by source, year(period_end)) as figures_this_year,
        row_number() over (
            partition by source, year(period_end)
            order by
                case coalesce(value_kind, 'exact') when 'exact' then 0 when 'approximate' then 1 else 2 end,
                case confidence when 'reported' then 0 when 'derived' then 1 else 2 end,
                published_on desc nulls last,
                figure_id
        ) as pick
    from published_figures
    where dataset_id in (select dataset_id from datasets where status = 'active')
        and metric = $metric
        and coalesce(region, '') = $region
        and group_name is null
        and period_start = make_date(year(period_end), 1, 1)
        and period_end = make_date(year(period_end), 12, 31)
        and period_start >= $date_from::date
        and period_end <= $date_to::date
)
select
    year,
    source,
    source_kind,
    value,
    unit,
    confidence,
    value_kind,
    figures_this_year,
    figure_id,
    definition,
    citation_url
from annual
where pick = 1
order by year, source
