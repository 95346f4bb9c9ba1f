-- insert_incidents: copy the staged rows of one dataset into incidents (columns matched by name).
insert into incidents by name
select
    $dataset_id as dataset_id,
    *
from staging
order by event_date  -- date-ordered row groups let date filters skip most of a large dataset
