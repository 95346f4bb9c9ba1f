-- insert_ref_platform_aliases: fill the platform_aliases reference table from the staged file in data/reference/.
insert into platform_aliases by name
select *
from staging
