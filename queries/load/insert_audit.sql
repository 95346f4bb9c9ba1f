-- insert_audit: add one audit record (inside the transaction of the change it records, where there is one).
insert into audit_log (
    actor,
    role,
    action,
    target,
    outcome,
    detail
)
values (
    $actor,
    $role,
    $action,
    $target,
    $outcome,
    $detail
)
