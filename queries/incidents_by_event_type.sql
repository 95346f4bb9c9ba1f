-- incidents_by_event_type: events and deaths per event type (UCDP type of violence, ACLED event type, ...).
-- parameters: $filters (the global filters: period, regions, groups, event types, event datasets)
select
    dataset_id,
    source,
    coalesce(event_type, 'Unknown') as event_type,
    sum(events) as events,
    sum(killed) as killed
from incident_cells_in($filters)
group by all
order by source, events desc
