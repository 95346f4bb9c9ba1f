-- The global filters as SQL sees them: one parameter, $filters, the struct Filters.params() builds
-- (dashboard/filters.py) with exactly these fields. Empty lists mean "all". Each field is read through its
-- macro, which gives it its one type (Python binds an empty list as "NULL"[]): a new global filter is one
-- macro here, one field in the dataclass, and its condition in the macro of its table. (Casting each field
-- where it is read costs a fifth of casting the whole struct, and a page runs a dozen queries.)
create or replace macro filter_date_from(filters) as filters['date_from']::date;

create or replace macro filter_date_to(filters) as filters['date_to']::date;

create or replace macro filter_regions(filters) as filters['regions']::varchar[];

create or replace macro filter_groups(filters) as filters['groups']::varchar[];

create or replace macro filter_platforms(filters) as filters['platforms']::varchar[];

create or replace macro filter_event_types(filters) as filters['event_types']::varchar[];

create or replace macro filter_dataset_ids(filters) as filters['dataset_ids']::integer[];

-- True when nothing is chosen ("all") or the value is one of the chosen.
create or replace macro chosen(picked, value) as
    len(picked) = 0 or list_contains(picked, value);

-- The region condition, written once: a chosen region matches itself and its sub-regions (Khyber
-- Pakhtunkhwa includes ex-FATA, as the map and the 2023 census count it).
create or replace macro in_chosen_regions(filters, region, parent_region) as
    chosen(filter_regions(filters), region)
    or list_contains(filter_regions(filters), parent_region);

-- Whether $filters lets a date through.
create or replace macro in_chosen_period(filters, day) as
    day between filter_date_from(filters) and filter_date_to(filters);
