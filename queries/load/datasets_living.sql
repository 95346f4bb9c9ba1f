-- datasets_living: the active datasets of one living series (e.g. earlier ACLED exports), newest first.
-- parameters: $living_key
select
    dataset_id,
    name,
    file_name,
    row_count,
    loaded_at
from active_datasets
where living_key = $living_key
order by dataset_id desc
