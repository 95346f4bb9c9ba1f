-- storage/database_file: the file behind the served database, whether it is open read-only, and its name.
-- parameters: none
select
    path,
    readonly as read_only,
    database_name
from duckdb_databases()
where database_name = current_database()
