-- insert_complaint_pending: the rollup of one complaint log's rows: pending complaints per day, platform, category, group, region and exact submission time.
-- parameters: $dataset_id
insert into complaint_pending
select
    dataset_id,
    cast(submitted_at as date) as day,
    platform,
    category,
    group_name,
    region,
    submitted_at,
    count(*) as complaints
from complaints
where dataset_id = $dataset_id
    and outcome = 'pending'
group by all
-- in submission-day order, so a period filter skips the row groups outside it
order by day
