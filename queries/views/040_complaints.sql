-- Complaints of active complaint logs that pass the global filters.

create or replace macro filtered_complaints(date_from, date_to, regions, groups, platforms) as table
select
    c.*,
    d.name as source,
    d.is_synthetic
from complaints as c
join datasets as d
    on d.dataset_id = c.dataset_id
left join regions as r
    on r.region = c.region
where d.status = 'active'
    and cast(c.submitted_at as date) between date_from and date_to
    and (len(regions) = 0 or list_contains(regions, c.region) or list_contains(regions, r.parent_region))
    and (len(groups) = 0 or list_contains(groups, c.group_name))
    and (len(platforms) = 0 or list_contains(platforms, c.platform));
