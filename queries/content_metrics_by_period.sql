-- content_metrics_by_period: one platform-transparency series per platform, policy area and metric, per
-- period, for one market. Breakdown rows (moderation task, turnaround bands) are left out.
-- parameters: $filters (the global filters: platforms, and periods starting inside the filter period),
--             $policy_areas (text list), $metric (text),
--             $market (text: 'Global' or a market name such as 'Pakistan')
select
    source,
    platform,
    policy_area,
    metric,
    market,
    period_start,
    period_end,
    period_label,
    value,
    unit
from filtered_content_metrics($filters)
where breakdown is null
    and list_contains($policy_areas::varchar[], policy_area)
    and metric = $metric
    and market = $market
order by platform, policy_area, period_start
