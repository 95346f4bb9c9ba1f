-- schema version 3: the audit log. Who did what, when: logins (and failures), uploads, retracts and
-- restores, alias changes, user changes. Rows are only ever added.

create sequence audit_log_id_seq start 1;

create table audit_log (
    audit_id bigint primary key default nextval('audit_log_id_seq'),
    logged_at timestamp not null default current_timestamp,
    actor varchar not null,
    role varchar,
    action varchar not null,
    target varchar,
    outcome varchar not null default 'ok',
    detail varchar
);
