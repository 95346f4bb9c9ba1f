-- Platform transparency figures of active datasets.

create or replace macro active_content_metrics(platforms) as table
select
    m.*,
    d.name as source
from content_metrics as m
join datasets as d
    on d.dataset_id = m.dataset_id
where d.status = 'active'
    and (len(platforms) = 0 or list_contains(platforms, m.platform));
