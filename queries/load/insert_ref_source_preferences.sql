-- insert_ref_source_preferences: fill the source_preferences reference table from the staged file in data/reference/.
insert into source_preferences by name
select *
from staging
