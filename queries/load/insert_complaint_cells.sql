-- insert_complaint_cells: the rollup of one complaint log's rows: complaints and items per day, platform, category, group, region and outcome.
-- parameters: $dataset_id
insert into complaint_cells
select
    dataset_id,
    cast(submitted_at as date) as day,
    platform,
    category,
    group_name,
    region,
    outcome,
    count(*) as complaints,
    sum(items) as items,
    max(submitted_at) as last_submitted_at
from complaints
where dataset_id = $dataset_id
group by all
-- in submission-day order, so a period filter skips the row groups outside it
order by day
