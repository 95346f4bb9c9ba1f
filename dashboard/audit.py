"""The audit log: one row per login, upload, retract, restore, alias change or user change."""

from __future__ import annotations

from dashboard import db
from dashboard.auth import User

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
               detail: str = "") -> None:
    """Add an audit row in its own transaction (for events that change no data: logins, failures)."""
    with con.cursor() as cur:
        record(cur, actor, action, target, outcome, detail)
