-- insert_ref_group_aliases: fill the group_aliases reference table from the staged file in data/reference/.
insert into group_aliases by name
select *
from staging
