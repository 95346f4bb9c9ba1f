-- incidents_by_group: events and deaths per canonical group and source, with short name and ideology.
-- parameters: $filters (the global filters: period, regions, groups, event types, event datasets)
select
    i.dataset_id,
    i.source,
    coalesce(i.group_name, 'Unknown') as group_name,
    coalesce(g.short_name, i.group_name, 'Unknown') as short_name,
    g.ideology,
    g.actor_kind,
    sum(i.events) as events,
    sum(i.killed) as killed
from incident_cells_in($filters) as i
left join groups as g
    on g.group_name = i.group_name
group by all
order by i.source, events desc
