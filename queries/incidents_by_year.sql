-- incidents_by_year: events and deaths per year and source (one row per source and year; never summed across sources).
-- parameters: $filters (the global filters: period, regions, groups, event types, event datasets)
select
    dataset_id,
    source,
    year(event_date) as year,
    sum(events) as events,
    sum(killed) as killed,
    sum(injured) as injured
from incident_cells_in($filters)
group by all
order by source, year
