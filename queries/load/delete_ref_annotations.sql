-- delete_ref_annotations: empty the annotations reference table before it is filled again from data/reference/ (inside a transaction).
delete from annotations
