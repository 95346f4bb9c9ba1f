-- delete_ref_source_preferences: empty the source_preferences reference table before it is filled again from data/reference/ (inside a transaction).
delete from source_preferences
