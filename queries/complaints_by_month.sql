-- complaints_by_month: complaints submitted per month and platform, with compliance among decided ones.
-- parameters: $filters (the global filters: submission period, regions, groups, platforms)
select
    date_trunc('month', submitted_at) as month,
    platform,
    count(*) as complaints,
    count(*) filter (where outcome in ('removed', 'geo_blocked'))
        / nullif(count(*) filter (where outcome <> 'pending'), 0) as compliance_rate,
    bool_or(is_synthetic) as is_synthetic
from filtered_complaints($filters)
group by all
order by month, platform
