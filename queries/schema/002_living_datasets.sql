-- schema version 2: living datasets. An ACLED event keeps its event_id_cnty across exports and gets a
-- newer timestamp when revised; every upload stays its own dataset (provenance, retract), and of the
-- rows that share a source event id within one living series only the newest active one is current.
-- datasets.living_key names the series ('acled'); incidents.is_current is kept up to date by the
-- loader (load/refresh_living) on every load, retract and restore. Other rows are always current.

alter table datasets add column living_key varchar;

alter table incidents add column is_current boolean default true;

create or replace macro filtered_incidents(date_from, date_to, regions, groups, dataset_ids) as table
select
    i.*,
    d.name as source,
    coalesce(r.parent_region, i.region) as rollup_region
from incidents as i
join datasets as d
    on d.dataset_id = i.dataset_id
left join regions as r
    on r.region = i.region
where d.status = 'active'
    and i.is_current
    and i.event_date between date_from and date_to
    and (len(dataset_ids) = 0 or list_contains(dataset_ids, i.dataset_id))
    and (len(regions) = 0 or list_contains(regions, i.region) or list_contains(regions, r.parent_region))
    and (len(groups) = 0 or list_contains(groups, i.group_name));
