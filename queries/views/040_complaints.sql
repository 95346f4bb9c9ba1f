-- Whether a complaint (or a rollup row of complaints) passes the global filters ($filters, 010_filters.sql):
-- submission day, region (with its sub-regions), group and platform. The one home of the complaint filter:
-- filtered_complaints below and the rollup macros (045) all use it.
create or replace macro complaint_chosen(filters, day, region, parent_region, group_name, platform) as
    in_chosen_period(filters, day)
    and in_chosen_regions(filters, region, parent_region)
    and chosen(filter_groups(filters), group_name)
    and chosen(filter_platforms(filters), platform);

-- Complaints of active complaint logs that pass the global filters.
create or replace macro filtered_complaints(filters) as table
select
    c.*,
    d.name as source,
    d.is_synthetic
from complaints as c
join active_datasets as d
    on d.dataset_id = c.dataset_id
left join regions as r
    on r.region = c.region
where complaint_chosen(filters, cast(c.submitted_at as date), c.region, r.parent_region, c.group_name, c.platform);
