-- complaints_by_quarter: complaints and compliance per quarter (all platforms) and complaint log, for the
-- links page.
-- parameters: $date_from, $date_to (submission dates), $regions, $groups, $platforms (text lists, empty = all)
select
    dataset_id,
    source,
    date_trunc('quarter', submitted_at) as quarter,
    count(*) as complaints,
    count(*) filter (where outcome in ('removed', 'geo_blocked'))
        / nullif(count(*) filter (where outcome <> 'pending'), 0) as compliance_rate,
    bool_or(is_synthetic) as is_synthetic
from filtered_complaints(
    $date_from::date,
    $date_to::date,
    $regions::varchar[],
    $groups::varchar[],
    $platforms::varchar[]
)
group by all
order by dataset_id, quarter
