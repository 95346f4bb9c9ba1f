-- delete_incident_cells: drop one dataset's rollup rows before they are computed again.
-- parameters: $dataset_id
delete from incident_cells
where dataset_id = $dataset_id
