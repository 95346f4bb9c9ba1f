-- reference_source_preferences: which source a headline or tile leads with for each metric (lowest first).
-- parameters: none
select
    metric,
    source,
    preference,
    reason
from source_preferences
order by metric, preference, source
