-- annotations_in_period: key events to mark on time axes, with their sources.
-- parameters: $date_from, $date_to
select
    event_date,
    label,
    source
from annotations
where event_date between $date_from::date and $date_to::date
order by event_date
