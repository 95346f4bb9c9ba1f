-- complaints_by_quarter: complaints and compliance per quarter (all platforms) and complaint log, for the
-- links page. Read from the complaint rollup (schema/008): exact.
-- parameters: $filters (the global filters: submission period, regions, groups, platforms)
select
    dataset_id,
    source,
    date_trunc('quarter', day)::timestamp as quarter,
    sum(complaints)::bigint as complaints,
    coalesce(sum(complaints) filter (where outcome in ('removed', 'geo_blocked')), 0)
        / nullif(sum(complaints) filter (where outcome <> 'pending'), 0) as compliance_rate,
    bool_or(is_synthetic) as is_synthetic
from complaint_cells_in($filters)
group by all
order by dataset_id, quarter
