-- complaints_by_dimension: the complaint tracker's figures per platform, category, group or region:
-- compliance (removed or geo-blocked among decided), median and 90th-percentile hours to action,
-- pending backlog, and decided or pending complaints past the $deadline_hours deadline. One row per complaint
-- log (dataset) and value: two logs are two sources, never one sum.
-- parameters: $filters (the global filters: submission period, regions, groups, platforms)
--             $dimension ('platform', 'category', 'group', 'region', or 'all' for one total row),
--             $deadline_hours (number)
with complaints as (
    select
        dataset_id,
        source,
        case $dimension
            when 'platform' then platform
            when 'category' then category
            when 'group' then coalesce(group_name, 'Unknown')
            when 'region' then coalesce(region, 'Unknown')
            when 'all' then 'All complaints'
        end as dimension_value,
        outcome,
        items,
        is_synthetic,
        date_diff('second', submitted_at, resolved_at) / 3600.0 as hours_to_action,
        -- a pending complaint is measured against the newest submission in the log, not today's date,
        -- so an old sample does not age without end
        date_diff('second', submitted_at, max(submitted_at) over ()) / 3600.0 as hours_open
    from filtered_complaints($filters)
)
select
    dataset_id,
    source,
    dimension_value,
    count(*) as complaints,
    sum(items) as items,
    count(*) filter (where outcome in ('removed', 'geo_blocked')) as complied,
    count(*) filter (where outcome = 'rejected') as rejected,
    count(*) filter (where outcome = 'pending') as pending,
    count(*) filter (where outcome in ('removed', 'geo_blocked'))
        / nullif(count(*) filter (where outcome <> 'pending'), 0) as compliance_rate,
    median(hours_to_action) filter (where outcome <> 'pending') as median_hours,
    quantile_cont(hours_to_action, 0.9) filter (where outcome <> 'pending') as p90_hours,
    count(*) filter (
        where (outcome <> 'pending' and hours_to_action > $deadline_hours)
        or (outcome = 'pending' and hours_open > $deadline_hours)
    ) as deadline_breaches,
    bool_or(is_synthetic) as is_synthetic
from complaints
group by dataset_id, source, dimension_value
order by dataset_id, complaints desc
