-- schema version 5: present-day published series.
-- published_figures.value_kind says how the source stated a number: exact, lower_bound ("over 800") or
-- approximate ("about 1,100"); charts mark the last two. source_preferences says which source a headline
-- prefers for a metric (lowest preference first), so that choice is data, not SQL. shipped_files records
-- the sha256 of every shipped file a database was built from, so a start can tell a changed file and
-- replace its dataset (datasets loaded by analysts are never touched).

alter table published_figures add column value_kind varchar default 'exact';

update published_figures
set value_kind = 'exact'
where value_kind is null;

create table source_preferences (
    metric varchar not null,
    source varchar not null,
    preference integer not null,
    reason varchar,
    primary key (metric, source)
);

create table shipped_files (
    file_name varchar primary key,
    sha256 varchar not null,
    dataset_id integer,
    checked_at timestamp not null default current_timestamp
);
