-- incidents_totals: one row per source: events, deaths, first and last event date in the filtered view.
-- parameters: $filters (the global filters: period, regions, groups, event types, event datasets)
select
    dataset_id,
    source,
    sum(rows) as rows,
    sum(events) as events,
    sum(killed) as killed,
    min(first_event) as first_event,
    max(last_event) as last_event
from incident_cells_in($filters)
group by all
order by source
