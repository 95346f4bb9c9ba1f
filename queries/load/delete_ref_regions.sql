-- delete_ref_regions: empty the regions reference table before it is filled again from data/reference/ (inside a transaction).
delete from regions
