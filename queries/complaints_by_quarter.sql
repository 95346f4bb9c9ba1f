-- complaints_by_quarter: complaints and compliance per quarter (all platforms) and complaint log, for the
-- links page.
-- parameters: $filters (the global filters: submission period, regions, groups, platforms)
select
    dataset_id,
    source,
    date_trunc('quarter', submitted_at) as quarter,
    count(*) as complaints,
    count(*) filter (where outcome in ('removed', 'geo_blocked'))
        / nullif(count(*) filter (where outcome <> 'pending'), 0) as compliance_rate,
    bool_or(is_synthetic) as is_synthetic
from filtered_complaints($filters)
group by all
order by dataset_id, quarter
