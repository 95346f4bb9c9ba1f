-- complaints_frame: the whole complaints table with what the filters need, for the pandas baseline.
select
    c.*,
    d.status,
    d.is_synthetic,
    r.parent_region
from complaints as c
join datasets as d
    on d.dataset_id = c.dataset_id
left join regions as r
    on r.region = c.region
