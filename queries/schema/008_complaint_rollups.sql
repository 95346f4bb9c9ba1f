-- schema version 8: rollups of the complaint log, so the complaint tracker reads a few rows per day instead
-- of every complaint, and its quantiles come from a histogram instead of a sort. Maintained by the loader on
-- every load of a complaint log (load/insert_complaint_*); a retract or restore needs no change because
-- queries still filter on the dataset's status. Three tables:
--   complaint_cells    complaints and items per day, platform, category, group, region and outcome, with
--                      the newest submission time in the cell (a pending complaint's age is measured from the
--                      newest submission among the complaints shown);
--   complaint_hours    decided complaints per day, platform, category, group, region and hours-to-action bin:
--                      bin k holds (k-1, k] hours for k <= 720 (bin 0: no time, or less), then bins 5% wide
--                      (k > 720 holds (720 * 1.05^(k-721), 720 * 1.05^(k-720)] hours); so a deadline of a
--                      whole number of hours up to 720 splits the bins exactly, and a quantile read from
--                      them is within one bin's width of the exact one (1 h up to 720 h, 5% above);
--   complaint_pending  pending complaints per exact submission time (their breach of a deadline depends on
--                      the newest submission of the complaints shown, so it cannot be binned in advance).
-- Rows are stored in submission-day order, so a period filter skips the row groups outside it.
-- Tables only: the macros that read them live in queries/views/.

create table complaint_cells (
    dataset_id integer not null,
    day date not null,
    platform varchar,
    category varchar,
    group_name varchar,
    region varchar,
    outcome varchar not null,
    complaints bigint not null,
    items bigint,
    last_submitted_at timestamp not null
);

create table complaint_hours (
    dataset_id integer not null,
    day date not null,
    platform varchar,
    category varchar,
    group_name varchar,
    region varchar,
    hours_bin integer not null,
    complaints bigint not null
);

create table complaint_pending (
    dataset_id integer not null,
    day date not null,
    platform varchar,
    category varchar,
    group_name varchar,
    region varchar,
    submitted_at timestamp not null,
    complaints bigint not null
);

insert into complaint_cells
select
    dataset_id,
    cast(submitted_at as date),
    platform,
    category,
    group_name,
    region,
    outcome,
    count(*),
    sum(items),
    max(submitted_at)
from complaints
group by all
order by 2;

insert into complaint_hours
select
    dataset_id,
    cast(submitted_at as date),
    platform,
    category,
    group_name,
    region,
    case
        when date_diff('second', submitted_at, resolved_at) <= 0 then 0
        when date_diff('second', submitted_at, resolved_at) <= 720 * 3600
            then ceil(date_diff('second', submitted_at, resolved_at) / 3600.0)
        else 720 + ceil(ln(date_diff('second', submitted_at, resolved_at) / (720 * 3600.0)) / ln(1.05))
    end::integer,
    count(*)
from complaints
where outcome <> 'pending'
    and resolved_at is not null
group by all
order by 2;

insert into complaint_pending
select
    dataset_id,
    cast(submitted_at as date),
    platform,
    category,
    group_name,
    region,
    submitted_at,
    count(*)
from complaints
where outcome = 'pending'
group by all
order by 2;
