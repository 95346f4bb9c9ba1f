-- load/dsa_day_datasets: the active datasets loaded from a DSA daily dump of one day (a regenerated dump of
-- the day replaces them, so the day is never counted twice).
-- parameters: $format (text), $day (date)
select
    dataset_id,
    sha256,
    file_name
from active_datasets
where format = $format
    and coverage_start = $day::date
    and coverage_end = $day::date
order by dataset_id
