-- insert_group_alias: record one spelling of a group (replaces an earlier mapping of the same spelling).
insert or replace into group_aliases (
    alias_key,
    alias,
    group_name
)
values (
    $alias_key,
    $alias,
    $group_name
)
