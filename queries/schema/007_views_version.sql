-- schema version 7: views and macros live in queries/views/ and are re-created on every writable start;
-- views_sha256 records which version of them the file holds, so a file that can only be opened read-only
-- (where they cannot be re-created) is served only when its views are this program's.

alter table observatory_meta add column views_sha256 varchar;
