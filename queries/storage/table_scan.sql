-- storage/table_scan: read every column of every row of one table (so every block's checksum is checked)
-- and return its row count and a fingerprint of its content (the same rows give the same fingerprint).
-- parameters: $table_name (text, a name from storage/base_tables)
select
    count(*) as row_count,
    coalesce(sum(hash(t)), 0)::varchar as fingerprint
from query_table($table_name) as t
