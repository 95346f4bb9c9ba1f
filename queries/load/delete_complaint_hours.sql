-- delete_complaint_hours: drop one complaint log's rollup rows before they are computed again.
-- parameters: $dataset_id
delete from complaint_hours
where dataset_id = $dataset_id
