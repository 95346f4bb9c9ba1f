-- delete_ref_platforms: empty the platforms reference table before it is filled again from data/reference/ (inside a transaction).
delete from platforms
