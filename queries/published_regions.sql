-- published_regions: per source, province and calendar year, the published figure for one metric, with the
-- province's census population and the rate per million people (the population year is returned so a chart
-- can name it). A source that reports Khyber Pakhtunkhwa without its merged tribal districts ("mainland",
-- metric suffix __kp_mainland) keeps that row apart: it is labelled as such and gets no rate (the census
-- counts the province with those districts). One figure per source, area and year: the one that wins
-- (active_published_figures.preference).
-- parameters: $metric (text), $filters (the global filters: period and regions)
with annual as (
    select
        f.figure_id,
        f.source,
        f.source_kind,
        f.region,
        f.metric = $metric || '__kp_mainland' as mainland_only,
        year(f.period_end) as year,
        f.value,
        f.value_kind,
        f.confidence,
        f.definition,
        f.citation_url,
        f.dataset,
        row_number() over (
            partition by f.source, f.region, f.metric, year(f.period_end)
            order by f.preference
        ) as pick
    from active_published_figures as f
    left join regions as r
        on r.region = f.region
    where f.region is not null
        and f.group_name is null
        and f.unit = 'count'
        and (f.metric = $metric or f.metric = $metric || '__kp_mainland')
        and f.period_start = make_date(year(f.period_end), 1, 1)
        and f.period_end = make_date(year(f.period_end), 12, 31)
        and f.period_start >= filter_date_from($filters)
        and f.period_end <= filter_date_to($filters)
        and in_chosen_regions($filters, f.region, r.parent_region)
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
