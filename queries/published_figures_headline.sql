-- published_figures_headline: per metric and source, the latest calendar year a source reports beside the
-- year before it (national figures for full calendar years), with the change; best source first (rank 1).
-- One figure per source and year: the one that wins (active_published_figures.preference). Only figures with a citation address and not marked unverified
-- can make a headline. Which source leads is data: the source_preferences reference table (lowest first).
-- parameters: $metrics (text list), $filters (the global filters: the years must lie inside the period)
with annual as (
    select
        metric,
        source,
        source_kind,
        year(period_end) as year,
        value,
        unit,
        definition,
        citation_url,
        dataset,
        row_number() over (
            partition by metric, source, year(period_end)
            order by preference
        ) as pick
    from active_published_figures
    where region is null
        and group_name is null
        and citation_url is not null
        and coalesce(confidence, '') <> 'unverified'
        and list_contains($metrics::varchar[], metric)
        and period_start = make_date(year(period_end), 1, 1)
        and period_end = make_date(year(period_end), 12, 31)
        and period_start >= filter_date_from($filters)
        and period_end <= filter_date_to($filters)
),
one_per_year as (
    select *
    from annual
    where pick = 1
),
latest_pairs as (
    select
        current_year.metric,
        current_year.source,
        current_year.source_kind,
        previous_year.year as previous_year,
        previous_year.value as previous_value,
        current_year.year,
        current_year.value,
        (current_year.value - previous_year.value) / nullif(previous_year.value, 0) as change,
        current_year.unit,
        current_year.definition,
        current_year.citation_url,
        current_year.dataset,
        previous_year.citation_url as previous_citation_url
    from one_per_year as current_year
    join one_per_year as previous_year
        on previous_year.metric = current_year.metric
        and previous_year.source = current_year.source
        and previous_year.year = current_year.year - 1
    qualify row_number() over (partition by current_year.metric, current_year.source order by current_year.year desc) = 1
)
select
    l.*,
    p.reason as preference_reason,
    row_number() over (
        partition by l.metric
        order by
            coalesce(p.preference, 99),
            l.year desc,
            l.source
    ) as rank
from latest_pairs as l
left join source_preferences as p
    on p.metric = l.metric
    and p.source = l.source
order by l.metric, rank
