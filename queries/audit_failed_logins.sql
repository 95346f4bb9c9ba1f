-- audit_failed_logins: failed logins for one user name within the last $minutes (for the lockout).
-- parameters: $actor, $minutes
select
    count(*) as failures
from audit_log
where action = 'login'
    and outcome = 'failed'
    and actor = $actor
    and logged_at > current_timestamp::timestamp - to_minutes($minutes::integer)
