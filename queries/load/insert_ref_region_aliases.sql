-- insert_ref_region_aliases: fill the region_aliases reference table from the staged file in data/reference/.
insert into region_aliases by name
select *
from staging
