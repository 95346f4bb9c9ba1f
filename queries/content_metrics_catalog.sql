-- content_metrics_catalog: which platform, policy area, metric and market combinations exist, with their
-- period range and row count (to fill pickers and say why a chart is empty).
-- parameters: none
select
    platform,
    policy_area,
    metric,
    market,
    unit,
    min(period_start) as first_period,
    max(period_start) as last_period,
    count(*) as rows
from active_content_metrics
where breakdown is null
group by all
order by platform, policy_area, metric, market
