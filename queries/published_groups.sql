-- published_groups: per source, armed group and calendar year, the published figure for one metric (attacks
-- or deaths attributed to the group by that source), one figure per source, group and year, the one that
-- wins (active_published_figures.preference). Only figures reported by a named outlet: a weak report of an attribution (a mirror
-- crediting one group with what the source gave for several) would rank groups wrongly.
-- parameters: $metric (text), $filters (the global filters: years inside the period)
with annual as (
    select
        figure_id,
        source,
        source_kind,
        group_name,
        year(period_end) as year,
        value,
        value_kind,
        confidence,
        definition,
        citation_url,
        note,
        dataset,
        row_number() over (
            partition by source, group_name, year(period_end)
            order by preference
        ) as pick
    from active_published_figures
    where group_name is not null
        and confidence = 'reported'
        and region is null
        and unit = 'count'
        and metric = $metric
        and period_start = make_date(year(period_end), 1, 1)
        and period_end = make_date(year(period_end), 12, 31)
        and period_start >= filter_date_from($filters)
        and period_end <= filter_date_to($filters)
)
select
    a.year,
    a.source,
    a.source_kind,
    a.group_name,
    coalesce(g.short_name, a.group_name) as short_name,
    a.value,
    a.value_kind,
    a.confidence,
    a.figure_id,
    a.definition,
    a.citation_url,
    a.note,
    a.dataset
from annual as a
left join groups as g
    on g.group_name = a.group_name
where a.pick = 1
order by a.year, a.source, a.value desc
