-- datasets_catalog: every dataset loaded, with provenance, licence, synthetic flag, rows and status.
-- parameters: none
select
    dataset_id,
    name,
    kind,
    source,
    licence,
    attribution,
    is_synthetic,
    format,
    file_name,
    sha256,
    row_count,
    rows_rejected,
    coverage_start,
    coverage_end,
    loaded_by,
    loaded_at,
    status,
    notes
from datasets
order by dataset_id
