-- content_metrics_by_period: one platform-transparency series per platform, policy area and metric, per
-- period, for one market. Breakdown rows (moderation task, turnaround bands) are left out.
-- parameters: $platforms (text list, empty = all), $policy_areas (text list), $metric (text),
--             $market (text: 'Global' or a market name such as 'Pakistan'), $date_from, $date_to
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
from active_content_metrics($platforms::varchar[])
where breakdown is null
    and list_contains($policy_areas::varchar[], policy_area)
    and metric = $metric
    and market = $market
    and period_start between $date_from::date and $date_to::date
order by platform, policy_area, period_start
