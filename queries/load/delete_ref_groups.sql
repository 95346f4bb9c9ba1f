-- delete_ref_groups: empty the groups reference table before it is filled again from data/reference/ (inside a transaction).
delete from groups
