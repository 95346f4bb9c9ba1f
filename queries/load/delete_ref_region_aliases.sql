-- delete_ref_region_aliases: drop the shipped spellings about to be loaded again from data/reference/; aliases analysts
-- added for other spellings stay (inside a transaction).
delete from region_aliases
where alias_key in (
    select alias_key
    from staging
)
