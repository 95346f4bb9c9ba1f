-- shipped_dataset: the newest dataset the system loaded from one shipped file, with its checksum and status.
-- parameters: $loaded_by (the system's loader name), $file_name
select
    dataset_id,
    sha256,
    status
from datasets
where loaded_by = $loaded_by
    and file_name = $file_name
order by dataset_id desc
limit 1
