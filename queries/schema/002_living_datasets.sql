-- schema version 2: living datasets. An ACLED event keeps its event_id_cnty across exports and gets a
-- newer timestamp when revised; every upload stays its own dataset (provenance, retract), and of the
-- rows that share a source event id within one living series only the newest active one is current.
-- datasets.living_key names the series ('acled'); incidents.is_current is kept up to date by the
-- loader (load/refresh_living) on every load, retract and restore. Other rows are always current.

alter table datasets add column living_key varchar;

alter table incidents add column is_current boolean default true;
