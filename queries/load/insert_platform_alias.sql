-- insert_platform_alias: record one spelling of a platform (replaces an earlier mapping of the same spelling).
insert or replace into platform_aliases (
    alias_key,
    alias,
    platform
)
values (
    $alias_key,
    $alias,
    $platform
)
