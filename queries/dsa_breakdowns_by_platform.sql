-- dsa_breakdowns_by_platform: EU DSA statements of reasons per platform and breakdown value over the whole
-- period (visibility decisions, territorial scope ...), for the platforms asked for: the page's share bars.
-- parameters: $platforms (text list, empty = all), $policy_areas (text list, empty = all categories),
--             $breakdown_prefix (text, e.g. 'Visibility: '), $date_from, $date_to
select
    m.platform,
    m.breakdown,
    sum(m.value) as statements,
    bool_or(d.is_synthetic) as is_synthetic
from active_content_metrics($platforms::varchar[]) as m
join datasets as d
    on d.dataset_id = m.dataset_id
where m.metric = 'Statements of reasons'
    and m.market = 'EU'
    and m.period_start between $date_from::date and $date_to::date
    and ((len($policy_areas::varchar[]) = 0 and m.policy_area <> 'Terrorist content (keyword)')
        or list_contains($policy_areas::varchar[], m.policy_area))
    and starts_with(m.breakdown, $breakdown_prefix::varchar)
group by
    m.platform,
    m.breakdown
order by
    m.platform,
    m.breakdown
