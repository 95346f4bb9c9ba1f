-- delete_complaint_cells: drop one complaint log's rollup rows before they are computed again.
-- parameters: $dataset_id
delete from complaint_cells
where dataset_id = $dataset_id
