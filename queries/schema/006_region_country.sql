-- schema version 6: every reference region belongs to a country, so names are matched within their
-- country ("Punjab" in an India row is not Pakistan's Punjab). Regions already present are Pakistan's,
-- the only country the shipped reference tables hold.

alter table regions add column country varchar;

update regions
set country = 'Pakistan'
where country is null;
