-- storage/attach_backup: open a new backup file beside the served database as backup_target (writable even
-- when the served database is open read-only).
-- parameters: $path (text, the backup file, which must not exist)
attach $path as backup_target (read_only false)
