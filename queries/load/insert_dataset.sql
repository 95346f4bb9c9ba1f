-- insert_dataset: add one catalog row and return its id. Run inside the load transaction.
insert into datasets (
    name, kind, source, licence, attribution, is_synthetic, format, file_name, sha256,
    row_count, rows_rejected, loaded_by, notes, living_key
)
values (
    $name, $kind, $source, $licence, $attribution, $is_synthetic, $format, $file_name, $sha256,
    $row_count, $rows_rejected, $loaded_by, $notes, $living_key
)
returning dataset_id
