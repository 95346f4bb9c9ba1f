-- datasets_by_sha256: catalog rows of a file already loaded (same bytes), to catch double uploads.
-- parameters: $sha256
select
    dataset_id,
    name,
    status,
    loaded_at,
    loaded_by
from datasets
where sha256 = $sha256
order by dataset_id
