-- insert_content_metrics: copy the staged rows of one dataset into content_metrics (columns matched by name).
insert into content_metrics by name
select
    $dataset_id as dataset_id,
    *
from staging
