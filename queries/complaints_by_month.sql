-- complaints_by_month: complaints submitted per month and platform, with compliance among decided ones.
-- Read from the complaint rollup (schema/008): exact.
-- parameters: $filters (the global filters: submission period, regions, groups, platforms)
select
    date_trunc('month', day)::timestamp as month,
    platform,
    sum(complaints)::bigint as complaints,
    coalesce(sum(complaints) filter (where outcome in ('removed', 'geo_blocked')), 0)
        / nullif(sum(complaints) filter (where outcome <> 'pending'), 0) as compliance_rate,
    bool_or(is_synthetic) as is_synthetic
from complaint_cells_in($filters)
group by all
order by month, platform
