-- data_period: the earliest and latest date in any active dataset (bounds of the period filter).
-- parameters: none
select
    min(coverage_start) as first_date,
    max(coverage_end) as last_date
from active_datasets
