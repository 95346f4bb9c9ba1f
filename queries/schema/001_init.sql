-- schema version 1: catalog, facts, reference tables.
-- Every fact row carries the id of the dataset it came from (provenance, retract, filters).

create table observatory_meta (
    schema_version integer not null,
    data_version bigint not null
);

create sequence datasets_id_seq start 1;

create table datasets (
    dataset_id integer primary key default nextval('datasets_id_seq'),
    name varchar not null,
    kind varchar not null check (kind in ('events', 'content_metrics', 'complaints', 'figures')),
    source varchar not null,
    licence varchar not null,
    attribution varchar not null,
    is_synthetic boolean not null default false,
    format varchar not null,
    file_name varchar not null,
    sha256 varchar not null,
    row_count bigint not null,
    rows_rejected bigint not null default 0,
    loaded_by varchar not null,
    loaded_at timestamp not null default current_timestamp,
    status varchar not null default 'active' check (status in ('active', 'retracted')),
    coverage_start date,
    coverage_end date,
    notes varchar
);

create table regions (
    region varchar primary key,
    iso_code varchar,
    geo_name varchar,
    parent_region varchar,
    population bigint,
    population_year integer,
    population_source varchar
);

create table region_aliases (
    alias_key varchar primary key,
    alias varchar not null,
    region varchar not null
);

create table groups (
    group_name varchar primary key,
    short_name varchar not null,
    ideology varchar,
    actor_kind varchar
);

create table group_aliases (
    alias_key varchar primary key,
    alias varchar not null,
    group_name varchar not null
);

create table platforms (
    platform varchar primary key,
    owner varchar
);

create table platform_aliases (
    alias_key varchar primary key,
    alias varchar not null,
    platform varchar not null
);

create table annotations (
    event_date date not null,
    label varchar not null,
    source varchar not null
);

create table incidents (
    dataset_id integer not null,
    source_event_id varchar,
    source_updated_at bigint,
    event_date date not null,
    date_precision varchar not null,
    country varchar,
    region varchar,
    region_raw varchar,
    district varchar,
    location varchar,
    latitude double,
    longitude double,
    group_name varchar,
    group_raw varchar,
    event_type varchar,
    sub_event_type varchar,
    events integer not null default 1,
    killed integer,
    injured integer
);

create table content_metrics (
    dataset_id integer not null,
    platform varchar not null,
    policy_area varchar not null,
    metric varchar not null,
    breakdown varchar,
    period_start date not null,
    period_end date not null,
    period_label varchar not null,
    market varchar not null,
    value double,
    unit varchar not null check (unit in ('count', 'fraction'))
);

create table complaints (
    dataset_id integer not null,
    complaint_id varchar not null,
    platform varchar not null,
    category varchar not null,
    group_name varchar,
    region varchar,
    submitted_at timestamp not null,
    resolved_at timestamp,
    outcome varchar not null check (outcome in ('removed', 'geo_blocked', 'rejected', 'pending')),
    items integer not null default 1
);

create table published_figures (
    dataset_id integer not null,
    figure_id varchar not null,
    source varchar not null,
    source_kind varchar,
    publication varchar,
    published_on date,
    period_start date,
    period_end date,
    period_label varchar,
    country varchar,
    region varchar,
    group_name varchar,
    platform varchar,
    metric varchar not null,
    value double not null,
    unit varchar not null,
    definition varchar,
    citation_url varchar,
    confidence varchar,
    note varchar
);

insert into observatory_meta values (1, 1);
