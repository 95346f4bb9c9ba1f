-- The catalog rows of datasets that count now: every read query reads facts through this view (a retract
-- takes effect at once), never by writing the status condition itself.
create or replace view active_datasets as
select *
from datasets
where status = 'active';
