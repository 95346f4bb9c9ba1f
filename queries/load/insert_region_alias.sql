-- insert_region_alias: record one spelling of a region (replaces an earlier mapping of the same spelling).
insert or replace into region_aliases (
    alias_key,
    alias,
    region
)
values (
    $alias_key,
    $alias,
    $region
)
