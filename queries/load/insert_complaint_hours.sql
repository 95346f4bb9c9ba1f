-- insert_complaint_hours: the rollup of one complaint log's rows: decided complaints per day, platform, category, group, region and hours-to-action bin (bins: schema/007).
-- parameters: $dataset_id
insert into complaint_hours
select
    dataset_id,
    cast(submitted_at as date) as day,
    platform,
    category,
    group_name,
    region,
    case
        when date_diff('second', submitted_at, resolved_at) <= 0 then 0
        when date_diff('second', submitted_at, resolved_at) <= 720 * 3600
            then ceil(date_diff('second', submitted_at, resolved_at) / 3600.0)
        else 720 + ceil(ln(date_diff('second', submitted_at, resolved_at) / (720 * 3600.0)) / ln(1.05))
    end::integer as hours_bin,
    count(*) as complaints
from complaints
where dataset_id = $dataset_id
    and outcome <> 'pending'
    and resolved_at is not null
group by all
-- in submission-day order, so a period filter skips the row groups outside it
order by day
