-- set_dataset_status: retract or restore a dataset; its rows stay, every query skips retracted ones.
update datasets
set status = $status
where dataset_id = $dataset_id
