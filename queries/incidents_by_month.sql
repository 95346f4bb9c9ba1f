-- incidents_by_month: events and deaths per calendar month and source.
-- parameters: $filters (the global filters: period, regions, groups, event types, event datasets)
select
    dataset_id,
    source,
    date_trunc('month', event_date) as month,
    sum(events) as events,
    sum(killed) as killed
from incident_cells_in($filters)
group by all
order by source, month
