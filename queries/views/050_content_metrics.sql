-- Platform transparency figures of active datasets (active_content_metrics), and those that pass the global
-- filters (filtered_content_metrics: platform, and a period that starts inside the filter period).
create or replace view active_content_metrics as
select
    m.*,
    d.name as source,
    d.is_synthetic
from content_metrics as m
join active_datasets as d
    on d.dataset_id = m.dataset_id;

create or replace macro filtered_content_metrics(filters) as table
select *
from active_content_metrics
where chosen(filter_platforms(filters), platform)
    and in_chosen_period(filters, period_start);
