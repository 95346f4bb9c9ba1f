-- generate_incidents: $rows synthetic incidents for the benchmark (dataset $dataset_id), deterministic:
-- every value is a hash of the row number and $seed, so the same call gives the same rows on any machine.
-- Cardinalities: 8 regions, ~150 districts, 40 groups, 6 event types, 20 years (2005-2024), skewed like
-- real data (a few regions and groups hold most events).
insert into incidents by name
with numbered as (
    select
        i,
        (hash(i, $seed, 1) % 1000000) / 1000000.0 as u_region,
        (hash(i, $seed, 2) % 1000000) / 1000000.0 as u_group,
        hash(i, $seed, 3) % 7305 as day_offset,
        hash(i, $seed, 4) % 19 as district_no,
        hash(i, $seed, 5) % 6 as type_no,
        (hash(i, $seed, 6) % 1000000) / 1000000.0 as u_killed
    from range($rows) as t(i)
),
shaped as (
    select
        i,
        -- squaring a uniform number skews towards the first items of each list
        ['Khyber Pakhtunkhwa', 'Balochistan', 'ex-FATA', 'Sindh', 'Punjab', 'Azad Jammu and Kashmir',
         'Islamabad Capital Territory', 'Gilgit-Baltistan'][1 + floor(u_region * u_region * 8)::int] as region,
        1 + floor(u_group * u_group * 40)::int as group_no,
        day_offset,
        district_no,
        ['Armed clash', 'Explosion', 'Suicide bombing', 'Targeted killing', 'Abduction', 'Attack on security forces'][1 + type_no::int] as event_type,
        floor(-ln(1 - u_killed * 0.999) * 2)::int as killed
    from numbered
)
select
    $dataset_id as dataset_id,
    'BENCH-' || i as source_event_id,
    date '2005-01-01' + day_offset::int as event_date,
    'day' as date_precision,
    'Pakistan' as country,
    region,
    region as region_raw,
    region || ' district ' || district_no as district,
    'Group ' || lpad(group_no::varchar, 2, '0') as group_name,
    'Group ' || lpad(group_no::varchar, 2, '0') as group_raw,
    event_type,
    1 as events,
    killed,
    killed // 2 as injured
from shaped
order by event_date
