-- set_coverage: record the date range a dataset covers, from its own rows.
update datasets
set
    coverage_start = $coverage_start,
    coverage_end = $coverage_end
where dataset_id = $dataset_id
