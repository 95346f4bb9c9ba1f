-- event_sources: active event datasets (the "data source" choices of the violence charts), newest data first.
-- parameters: none
select
    dataset_id,
    name as source,
    is_synthetic,
    coverage_start,
    coverage_end,
    row_count,
    attribution,
    licence
from active_datasets
where kind = 'events'
order by coverage_end desc, dataset_id
