-- annotations_in_period: key events to mark on time axes, with their sources.
-- parameters: $filters (the global filters: only the period applies)
select
    event_date,
    label,
    source
from annotations
where in_chosen_period($filters, event_date)
order by event_date
