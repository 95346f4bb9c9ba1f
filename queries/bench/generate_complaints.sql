-- generate_complaints: $rows synthetic complaints for the benchmark (dataset $dataset_id), deterministic
-- (hash of row number and $seed). 7 platforms, 6 categories, 40 groups, 8 regions, 2005-2024.
insert into complaints by name
with numbered as (
    select
        i,
        hash(i, $seed, 11) % 7 as platform_no,
        hash(i, $seed, 12) % 6 as category_no,
        (hash(i, $seed, 13) % 1000000) / 1000000.0 as u_group,
        hash(i, $seed, 14) % 8 as region_no,
        hash(i, $seed, 15) % (7305 * 24) as hour_offset,
        (hash(i, $seed, 16) % 1000000) / 1000000.0 as u_hours,
        hash(i, $seed, 17) % 100 as outcome_draw
    from range($rows) as t(i)
)
select
    $dataset_id as dataset_id,
    'BENCH-C-' || i as complaint_id,
    ['Facebook', 'Instagram', 'WhatsApp', 'X', 'TikTok', 'YouTube', 'Telegram'][1 + platform_no::int] as platform,
    ['Terrorist propaganda', 'Glorification of attacks', 'Incitement to violence', 'Recruitment',
     'Sectarian hate', 'Financing appeals'][1 + category_no::int] as category,
    'Group ' || lpad((1 + floor(u_group * u_group * 40)::int)::varchar, 2, '0') as group_name,
    ['Khyber Pakhtunkhwa', 'Balochistan', 'ex-FATA', 'Sindh', 'Punjab', 'Azad Jammu and Kashmir',
     'Islamabad Capital Territory', 'Gilgit-Baltistan'][1 + region_no::int] as region,
    timestamp '2005-01-01' + to_hours(hour_offset::int) as submitted_at,
    case when outcome_draw < 5 then null
        else timestamp '2005-01-01' + to_hours(hour_offset::int) + to_minutes((-ln(1 - u_hours * 0.999) * 3000)::int)
    end as resolved_at,
    case when outcome_draw < 5 then 'pending'
        when outcome_draw < 20 then 'rejected'
        when outcome_draw < 40 then 'geo_blocked'
        else 'removed'
    end as outcome,
    1 + outcome_draw % 5 as items
from numbered
