"""The audit log: one row per login, upload, retract, restore, alias change or user change."""

from __future__ import annotations

from dashboard import db, storage
from dashboard.auth import User
from dashboard.storage import StorageError

ACTIONS = ("login", "logout", "upload", "retract", "restore", "alias", "user")


def record(cur: db.Connection, actor: User | str | None, action: str, target: str = "", outcome: str = "ok",
           detail: str = "") -> None:
    """Add an audit row on ``cur``: inside the caller's transaction when there is one, so the change and
    its record commit (or roll back) together."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    name = actor.username if isinstance(actor, User) else (actor or "anonymous")
    role = actor.role if isinstance(actor, User) else None
    db.execute(cur, "load/insert_audit", actor=name[:200], role=role, action=action, target=target[:500],
               outcome=outcome, detail=detail[:2000])


def record_now(con: db.Connection, actor: User | str | None, action: str, target: str = "", outcome: str = "ok",
               detail: str = "") -> bool:
    """Add an audit row in its own transaction (for events that change no data: logins, failures).

    When the database cannot be written (read-only, disk full, damaged) the event goes to the server log
    instead, saying the audit log could not be written; returns whether the row was written."""
    try:
        db.require_writable(con)
        with con.cursor() as cur:
            record(cur, actor, action, target, outcome, detail)
    except StorageError as fault:
        name = actor.username if isinstance(actor, User) else (actor or "anonymous")
        storage.log.error("audit log cannot be written (%s: %s); unrecorded event: %s %s %s by %s: %s",
                          fault.kind, fault.cause, action, outcome, target, name, detail[:300])
        return False
    return True
