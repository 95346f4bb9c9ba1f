-- incidents_by_quarter: events and deaths per calendar quarter and source (to set violence beside quarterly
-- platform figures on one time axis).
-- parameters: $filters (the global filters: period, regions, groups, event types, event datasets)
select
    dataset_id,
    source,
    date_trunc('quarter', event_date) as quarter,
    sum(events) as events,
    sum(killed) as killed
from incident_cells_in($filters)
group by all
order by source, quarter
