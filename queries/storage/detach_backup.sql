-- storage/detach_backup: close the backup file written by storage/copy_to_backup.
-- parameters: none
detach backup_target
