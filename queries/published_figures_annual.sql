-- published_figures_annual: one figure per source and calendar year for one metric and area, full calendar
-- years only, so sources can stand side by side per year ("one number, many sources"). Where a source
-- published several numbers for a year (an early lower bound, then the restated figure), the one that wins
-- (active_published_figures.preference: exact, reported, latest).
-- parameters: $metric (text), $region (text, '' = national), $filters (the global filters: years inside the
--             period)
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
        value_kind,
        citation_url,
        count(*) over (partition by source, year(period_end)) as figures_this_year,
        row_number() over (
            partition by source, year(period_end)
            order by preference
        ) as pick
    from active_published_figures
    where metric = $metric
        and coalesce(region, '') = $region
        and group_name is null
        and period_start = make_date(year(period_end), 1, 1)
        and period_end = make_date(year(period_end), 12, 31)
        and period_start >= filter_date_from($filters)
        and period_end <= filter_date_to($filters)
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
