-- insert_ref_regions: fill the regions reference table from the staged file in data/reference/.
insert into regions by name
select *
from staging
