-- dsa_breakdowns_by_platform: EU DSA statements of reasons per platform and breakdown value over the whole
-- period (visibility decisions, territorial scope ...), for the platforms asked for: the page's share bars.
-- parameters: $filters (the global filters: platforms and period), $policy_areas (text list, empty = all
--             categories), $breakdown_prefix (text, e.g. 'Visibility: ')
select
    platform,
    breakdown,
    sum(value) as statements,
    bool_or(is_synthetic) as is_synthetic
from filtered_content_metrics($filters)
where metric = 'Statements of reasons'
    and market = 'EU'
    and ((len($policy_areas::varchar[]) = 0 and policy_area <> 'Terrorist content (keyword)')
        or list_contains($policy_areas::varchar[], policy_area))
    and starts_with(breakdown, $breakdown_prefix::varchar)
group by
    platform,
    breakdown
order by
    platform,
    breakdown
