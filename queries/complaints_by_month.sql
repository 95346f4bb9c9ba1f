-- complaints_by_month: complaints submitted per month and platform, with compliance among decided ones.
-- parameters: $date_from, $date_to (submission dates), $regions, $groups, $platforms (text lists, empty = all)
select
    date_trunc('month', submitted_at) as month,
    platform,
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
order by month, platform
