-- published_groups: per source, armed group and calendar year, the published figure for one metric (attacks
-- or deaths attributed to the group by that source), one figure per source, group and year, picked as in
-- published_monthly. Only figures reported by a named outlet: a weak report of an attribution (a mirror
-- crediting one group with what the source gave for several) would rank groups wrongly.
-- parameters: $metric (text), $date_from, $date_to
with annual as (
    select
        figure_id,
        source,
        source_kind,
        group_name,
        year(period_end) as year,
        value,
        coalesce(value_kind, 'exact') as value_kind,
        confidence,
        definition,
        citation_url,
        note,
        (select d.name from datasets as d where d.dataset_id = published_figures.dataset_id) as dataset,
        row_number() over (
            partition by source, group_name, year(period_end)
            order by
                case coalesce(value_kind, 'exact') when 'exact' then 0 when 'approximate' then 1 else 2 end,
                case confidence when 'reported' then 0 when 'derived' then 1 when 'weak' then 2 else 3 end,
                published_on desc nulls last,
                figure_id
        ) as pick
    from published_figures
    where dataset_id in (select dataset_id from datasets where status = 'active')
        and group_name is not null
        and confidence = 'reported'
        and region is null
        and unit = 'count'
        and metric = $metric
        and period_start = make_date(year(period_end), 1, 1)
        and period_end = make_date(year(period_end), 12, 31)
        and period_start >= $date_from::date
        and period_end <= $date_to::date
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
