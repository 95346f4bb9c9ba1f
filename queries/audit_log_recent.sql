-- audit_log_recent: the newest audit records, optionally for one action, at most $limit rows.
-- parameters: $action (text, '' = all actions), $actor (text, '' = everyone), $limit
select
    audit_id,
    logged_at,
    actor,
    role,
    action,
    target,
    outcome,
    detail
from audit_log
where ($action = '' or action = $action)
    and ($actor = '' or actor = $actor)
order by audit_id desc
limit $limit
