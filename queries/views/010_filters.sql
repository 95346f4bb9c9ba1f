-- The global filters as SQL sees them: one parameter, $filters, the struct Filters.params() builds
-- (dashboard/filters.py). as_filters gives it its one type (Python binds an empty list as "NULL"[]), so a
-- new global filter is one field here, one in the dataclass, and its condition in the macro of its table.
-- Inside a macro a field is read as as_filters(filters)['regions'] (the dot form would name a table).
-- Empty lists mean "all".
create or replace macro as_filters(filters) as
    filters::struct(
        date_from date,
        date_to date,
        regions varchar[],
        groups varchar[],
        platforms varchar[],
        event_types varchar[],
        dataset_ids integer[]
    );

-- True when nothing is chosen ("all") or the value is one of the chosen.
create or replace macro chosen(picked, value) as
    len(picked) = 0 or list_contains(picked, value);

-- The region condition, written once: a chosen region matches itself and its sub-regions (Khyber
-- Pakhtunkhwa includes ex-FATA, as the map and the 2023 census count it).
create or replace macro in_chosen_regions(filters, region, parent_region) as
    chosen(as_filters(filters)['regions'], region)
    or list_contains(as_filters(filters)['regions'], parent_region);

-- Whether $filters lets a date through.
create or replace macro in_chosen_period(filters, day) as
    day between as_filters(filters)['date_from'] and as_filters(filters)['date_to'];
