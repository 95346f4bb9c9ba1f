-- insert_complaints: copy the staged rows of one dataset into complaints (columns matched by name).
insert into complaints by name
select
    $dataset_id as dataset_id,
    *
from staging
