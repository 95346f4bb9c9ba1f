-- dataset_by_id: one catalog row (kind, format, living series, status), for retract and restore.
-- parameters: $dataset_id
select
    dataset_id,
    name,
    kind,
    format,
    living_key,
    status,
    loaded_by
from datasets
where dataset_id = $dataset_id
