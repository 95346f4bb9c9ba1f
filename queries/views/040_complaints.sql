-- Complaints of active complaint logs that pass the global filters ($filters, 010_filters.sql): submission
-- date, region (with its sub-regions), group and platform.
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
where in_chosen_period(filters, cast(c.submitted_at as date))
    and in_chosen_regions(filters, c.region, r.parent_region)
    and chosen(filter_groups(filters), c.group_name)
    and chosen(filter_platforms(filters), c.platform);
