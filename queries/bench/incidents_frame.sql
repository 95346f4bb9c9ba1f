-- incidents_frame: the whole incidents table with what the filters need, for the pandas baseline
-- (what a typical dashboard loads into memory at start).
select
    i.*,
    d.name as source,
    d.status,
    coalesce(r.parent_region, i.region) as rollup_region,
    r.parent_region
from incidents as i
join datasets as d
    on d.dataset_id = i.dataset_id
left join regions as r
    on r.region = i.region
