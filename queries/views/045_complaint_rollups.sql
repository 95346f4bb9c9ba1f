-- The complaint rollups (schema/008) as the complaint queries read them: the rows of active complaint logs
-- that pass the global filters ($filters), by the same rule as filtered_complaints (complaint_chosen, 040).
-- Days are submission days, so a date filter is exact.

create or replace macro complaint_cells_in(filters) as table
select
    c.*,
    d.name as source,
    d.is_synthetic
from complaint_cells as c
join active_datasets as d
    on d.dataset_id = c.dataset_id
left join regions as r
    on r.region = c.region
where complaint_chosen(filters, c.day, c.region, r.parent_region, c.group_name, c.platform);

create or replace macro complaint_hours_in(filters) as table
select
    h.*
from complaint_hours as h
join active_datasets as d
    on d.dataset_id = h.dataset_id
left join regions as r
    on r.region = h.region
where complaint_chosen(filters, h.day, h.region, r.parent_region, h.group_name, h.platform);

create or replace macro complaint_pending_in(filters) as table
select
    p.*
from complaint_pending as p
join active_datasets as d
    on d.dataset_id = p.dataset_id
left join regions as r
    on r.region = p.region
where complaint_chosen(filters, p.day, p.region, r.parent_region, p.group_name, p.platform);

-- The hours a time-to-action bin holds: (lower, upper]. One hour wide up to 720 h, then 5% wide
-- (the bins of load/insert_complaint_hours).
create or replace macro complaint_hours_lower(hours_bin) as
    case
        when hours_bin <= 0 then 0.0
        when hours_bin <= 720 then hours_bin - 1.0
        else 720.0 * pow(1.05, hours_bin - 721)
    end;

create or replace macro complaint_hours_upper(hours_bin) as
    case
        when hours_bin <= 720 then greatest(hours_bin, 0)::double
        else 720.0 * pow(1.05, hours_bin - 720)
    end;

-- The complaint tracker's breakdown value of a rollup row.
create or replace macro complaint_dimension(dimension, platform, category, group_name, region) as
    case dimension
        when 'platform' then platform
        when 'category' then category
        when 'group' then coalesce(group_name, 'Unknown')
        when 'region' then coalesce(region, 'Unknown')
        when 'all' then 'All complaints'
    end;
