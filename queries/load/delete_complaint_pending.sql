-- delete_complaint_pending: drop one complaint log's rollup rows before they are computed again.
-- parameters: $dataset_id
delete from complaint_pending
where dataset_id = $dataset_id
