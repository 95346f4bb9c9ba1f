-- shipped_file: the checksum recorded when a shipped file was last loaded into this database.
-- parameters: $file_name
select
    sha256,
    dataset_id
from shipped_files
where file_name = $file_name
