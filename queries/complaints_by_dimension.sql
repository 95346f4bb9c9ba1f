-- complaints_by_dimension: the complaint tracker's figures per platform, category, group or region:
-- compliance (removed or geo-blocked among decided), median and 90th-percentile hours to action,
-- pending backlog, and decided or pending complaints past the $deadline_hours deadline. One row per complaint
-- log (dataset) and value: two logs are two sources, never one sum.
-- Read from the complaint rollups (schema/008): counts are exact; the hours are estimated from one-hour bins
-- (5% bins above 720 h), within one bin's width of the exact quantile; decided breaches are exact for a
-- deadline of a whole number of hours up to 720 (otherwise within one bin); pending breaches are exact.
-- parameters: $filters (the global filters: submission period, regions, groups, platforms)
--             $dimension ('platform', 'category', 'group', 'region', or 'all' for one total row),
--             $deadline_hours (number)
with cells as (
    select
        dataset_id,
        source,
        is_synthetic,
        complaint_dimension($dimension, platform, category, group_name, region) as dimension_value,
        outcome,
        complaints,
        items,
        last_submitted_at
    from complaint_cells_in($filters)
),

counts as (
    select
        dataset_id,
        source,
        dimension_value,
        sum(complaints)::bigint as complaints,
        sum(items)::bigint as items,
        coalesce(sum(complaints) filter (where outcome in ('removed', 'geo_blocked')), 0)::bigint as complied,
        coalesce(sum(complaints) filter (where outcome = 'rejected'), 0)::bigint as rejected,
        coalesce(sum(complaints) filter (where outcome = 'pending'), 0)::bigint as pending,
        coalesce(sum(complaints) filter (where outcome in ('removed', 'geo_blocked')), 0)
            / nullif(sum(complaints) filter (where outcome <> 'pending'), 0) as compliance_rate,
        bool_or(is_synthetic) as is_synthetic
    from cells
    group by dataset_id, source, dimension_value
),

-- a pending complaint is measured against the newest submission among the complaints shown, not today's
-- date, so an old sample does not age without end
newest as (
    select max(last_submitted_at) as submitted_at
    from cells
),

bins as (
    select
        dataset_id,
        complaint_dimension($dimension, platform, category, group_name, region) as dimension_value,
        hours_bin,
        sum(complaints) as complaints
    from complaint_hours_in($filters)
    group by all
),

cumulative as (
    select
        dataset_id,
        dimension_value,
        hours_bin,
        complaints,
        sum(complaints) over (
            partition by dataset_id, dimension_value order by hours_bin rows unbounded preceding
        ) - complaints as ranks_before,
        sum(complaints) over (partition by dataset_id, dimension_value) as decided,
        complaint_hours_lower(hours_bin) as lower_hours,
        complaint_hours_upper(hours_bin) as upper_hours
    from bins
),

-- quantile_cont's definition: the value at position q * (n - 1) of the sorted values, interpolated between
-- the two ranks around it; each rank's value is placed evenly within its bin
positions as (
    select distinct
        dataset_id,
        dimension_value,
        quantile.q,
        quantile.q * (decided - 1) as position
    from cumulative
    cross join (values (0.5), (0.9)) as quantile(q)
),

ranks as (
    select
        dataset_id,
        dimension_value,
        q,
        position,
        floor(position) + side.step as rank_no
    from positions
    cross join (values (0), (1)) as side(step)
),

rank_values as (
    select
        r.dataset_id,
        r.dimension_value,
        r.q,
        r.position,
        r.rank_no,
        c.lower_hours + (r.rank_no - c.ranks_before + 0.5) / c.complaints * (c.upper_hours - c.lower_hours) as hours
    from ranks as r
    join cumulative as c
        on c.dataset_id = r.dataset_id
        and c.dimension_value is not distinct from r.dimension_value
        and r.rank_no >= c.ranks_before
        and r.rank_no < c.ranks_before + c.complaints
),

quantiles as (
    select
        dataset_id,
        dimension_value,
        q,
        -- the lower rank's value, plus the fraction of the way to the upper one (absent when the position
        -- is the last rank)
        min(hours) filter (where rank_no = floor(position))
            + (any_value(position) - floor(any_value(position)))
            * coalesce(min(hours) filter (where rank_no = floor(position) + 1)
                - min(hours) filter (where rank_no = floor(position)), 0) as hours
    from rank_values
    group by dataset_id, dimension_value, q
),

decided_breaches as (
    select
        dataset_id,
        dimension_value,
        sum(complaints) as breaches
    from bins
    where complaint_hours_upper(hours_bin) > $deadline_hours
    group by all
),

pending_breaches as (
    select
        p.dataset_id,
        complaint_dimension($dimension, p.platform, p.category, p.group_name, p.region) as dimension_value,
        sum(p.complaints) as breaches
    from complaint_pending_in($filters) as p
    cross join newest
    where date_diff('second', p.submitted_at, newest.submitted_at) / 3600.0 > $deadline_hours
    group by all
)

select
    counts.dataset_id,
    counts.source,
    counts.dimension_value,
    counts.complaints,
    counts.items,
    counts.complied,
    counts.rejected,
    counts.pending,
    counts.compliance_rate,
    median_hours.hours as median_hours,
    p90_hours.hours as p90_hours,
    (coalesce(decided_breaches.breaches, 0) + coalesce(pending_breaches.breaches, 0))::bigint as deadline_breaches,
    counts.is_synthetic
from counts
left join quantiles as median_hours
    on median_hours.dataset_id = counts.dataset_id
    and median_hours.dimension_value is not distinct from counts.dimension_value
    and median_hours.q = 0.5
left join quantiles as p90_hours
    on p90_hours.dataset_id = counts.dataset_id
    and p90_hours.dimension_value is not distinct from counts.dimension_value
    and p90_hours.q = 0.9
left join decided_breaches
    on decided_breaches.dataset_id = counts.dataset_id
    and decided_breaches.dimension_value is not distinct from counts.dimension_value
left join pending_breaches
    on pending_breaches.dataset_id = counts.dataset_id
    and pending_breaches.dimension_value is not distinct from counts.dimension_value
order by counts.dataset_id, counts.complaints desc
