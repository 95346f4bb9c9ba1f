-- published_regions: per source, province and calendar year, the published figure for one metric, with the
-- province's census population and the rate per million people (the population year is returned so a chart
-- can name it). A source that reports Khyber Pakhtunkhwa without its merged tribal districts ("mainland",
-- metric suffix __kp_mainland) keeps that row apart: it is labelled as such and gets no rate (the census
-- counts the province with those districts). One figure per source, area and year, picked as in
-- published_monthly. parameters: $metric (text), $regions (text list, empty = all), $date_from, $date_to
with annual as (
    select
        f.figure_id,
        f.source,
        f.source_kind,
        f.region,
        f.metric = $metric || '__kp_mainland' as mainland_only,
        year(f.period_end) as year,
        f.value,
        coalesce(f.value_kind, 'exact') as value_kind,
        f.confidence,
        f.definition,
        f.citation_url,
        (select d.name from datasets as d where d.dataset_id = f.dataset_id) as dataset,
        row_number() over (
            partition by f.source, f.region, f.metric, year(f.period_end)
            order by
                case coalesce(f.value_kind, 'exact') when 'exact' then 0 when 'approximate' then 1 else 2 end,
                case f.confidence when 'reported' then 0 when 'derived' then 1 when 'weak' then 2 else 3 end,
                f.published_on desc nulls last,
                f.figure_id
        ) as pick
    from published_figures as f
    left join regions as r
        on r.region = f.region
    where f.dataset_id in (select dataset_id from datasets where status = 'active')
        and f.region is not null
        and f.group_name is null
        and f.unit = 'count'
        and (f.metric = $metric or f.metric = $metric || '__kp_mainland')
        and f.period_start = make_date(year(f.period_end), 1, 1)
        and f.period_end = make_date(year(f.period_end), 12, 31)
        and f.period_start >= $date_from::date
        and f.period_end <= $date_to::date
        and (
            len($regions::varchar[]) = 0
            or list_contains($regions::varchar[], f.region)
            or list_contains($regions::varchar[], r.parent_region)
        )
)
select
    a.year,
    a.source,
    a.source_kind,
    a.region,
    case when a.mainland_only then 'KP mainland' else a.region end as area,
    a.mainland_only,
    r.parent_region,
    a.value,
    a.value_kind,
    case when a.mainland_only then null else r.population end as population,
    case when a.mainland_only then null else r.population_year end as population_year,
    case when a.mainland_only then null else a.value / r.population * 1e6 end as per_million,
    a.confidence,
    a.figure_id,
    a.definition,
    a.citation_url,
    a.dataset
from annual as a
left join regions as r
    on r.region = a.region
where a.pick = 1
order by a.year, a.source, a.value desc
