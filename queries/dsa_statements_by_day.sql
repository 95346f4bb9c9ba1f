-- dsa_statements_by_day: EU DSA statements of reasons per platform, UTC day and breakdown, from every active
-- dataset of them (the Spark job's daily aggregates and uploaded statement files alike).
-- $breakdown_prefix '' gives the totals (no breakdown); 'Visibility: ', 'Scope: ', 'Automated decision: ' ...
-- give those breakdown rows. With no policy area chosen, every category counts and "Terrorist content
-- (keyword)" (the same statements counted again) is left out.
-- parameters: $filters (the global filters: platforms and period), $policy_areas (text list, empty = all
--             categories), $breakdown_prefix (text)
select
    m.platform,
    m.period_start as day,
    m.breakdown,
    sum(m.value) as statements,
    bool_or(d.is_synthetic) as is_synthetic,
    string_agg(distinct d.source, '; ' order by d.source) as source
from filtered_content_metrics($filters) as m
join active_datasets as d
    on d.dataset_id = m.dataset_id
where m.metric = 'Statements of reasons'
    and m.market = 'EU'
    and ((len($policy_areas::varchar[]) = 0 and m.policy_area <> 'Terrorist content (keyword)')
        or list_contains($policy_areas::varchar[], m.policy_area))
    and ((($breakdown_prefix)::varchar = '' and m.breakdown is null)
        or (($breakdown_prefix)::varchar <> '' and starts_with(m.breakdown, $breakdown_prefix::varchar)))
group by
    m.platform,
    m.period_start,
    m.breakdown
order by
    m.platform,
    day,
    m.breakdown
