-- storage/base_tables: every table of the served database (the integrity scan reads each one).
-- parameters: none
select
    table_name
from information_schema.tables
where table_type = 'BASE TABLE'
    and table_catalog = current_database()
    and table_schema = 'main'
order by table_name
