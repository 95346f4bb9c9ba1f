-- insert_published_figures: copy the staged rows of one dataset into published_figures (columns matched by name).
insert into published_figures by name
select
    $dataset_id as dataset_id,
    *
from staging
