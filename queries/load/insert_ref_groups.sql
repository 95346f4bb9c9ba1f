-- insert_ref_groups: fill the groups reference table from the staged file in data/reference/.
insert into groups by name
select *
from staging
