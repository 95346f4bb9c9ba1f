-- filter_options: the values the sidebar offers, as (facet, value, rows): regions and groups that occur in
-- active data (plus every canonical region), the event types of active event datasets ('Unknown' for events
-- without one, as the charts name them), and platforms from the reference table, the complaints and the
-- content metrics (transparency reports, EU statements of reasons).
-- Incidents are counted from the monthly rollup (current rows only): the same counts, a fraction of the scan.
-- parameters: none
with region_values as (
    select region as value, sum(rows) as rows
    from incident_cells
    where region is not null and dataset_id in (select dataset_id from active_datasets)
    group by all
    union all
    select region, 0 from regions
),
group_values as (
    select group_name as value, sum(rows) as rows
    from incident_cells
    where group_name is not null and dataset_id in (select dataset_id from active_datasets)
    group by all
    union all
    select group_name, count(*)
    from complaints
    where group_name is not null and dataset_id in (select dataset_id from active_datasets)
    group by all
),
event_type_values as (
    select coalesce(event_type, 'Unknown') as value, sum(rows) as rows
    from incident_cells
    where dataset_id in (select dataset_id from active_datasets)
    group by all
),
platform_values as (
    select platform as value, 0 as rows
    from platforms
    union all
    select platform, count(*)
    from complaints
    where dataset_id in (select dataset_id from active_datasets)
    group by all
    union all
    -- platform reports and EU statements of reasons (harmonised names: the loader maps them through the aliases)
    select platform, count(*)
    from content_metrics
    where dataset_id in (select dataset_id from active_datasets)
    group by all
)
select 'region' as facet, value, sum(rows) as rows from region_values group by all
union all
select 'group', value, sum(rows) from group_values group by all
union all
select 'event_type', value, sum(rows) from event_type_values group by all
union all
select 'platform', value, sum(rows) from platform_values group by all
order by facet, rows desc, value
