-- insert_ref_platforms: fill the platforms reference table from the staged file in data/reference/.
insert into platforms by name
select *
from staging
