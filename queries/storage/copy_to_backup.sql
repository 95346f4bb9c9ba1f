-- storage/copy_to_backup: copy every table, sequence and view of the served database into backup_target in
-- one statement, so one transaction: a consistent snapshot even while loads commit. The source database's
-- name (source_database) is an identifier DuckDB takes from the file name: db.copy_database checks and
-- quotes it before it replaces the placeholder.
-- parameters: none
copy from database source_database to backup_target
