-- insert_ref_annotations: fill the annotations reference table from the staged file in data/reference/.
insert into annotations by name
select *
from staging
