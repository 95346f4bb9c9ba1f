-- record_shipped_file: remember the checksum of a shipped file just loaded (inside the load's transaction).
-- parameters: $file_name, $sha256, $dataset_id (null for a reference table)
insert or replace into shipped_files (file_name, sha256, dataset_id, checked_at)
values ($file_name, $sha256, $dataset_id, current_timestamp)
