"""The audit log: one row per login, upload, retract, restore, alias change or user change."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from dashboard import db, storage
from dashboard.auth import User, users_path
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
            flush_pending(cur)
            record(cur, actor, action, target, outcome, detail)
    except StorageError as fault:
        name = actor.username if isinstance(actor, User) else (actor or "anonymous")
        storage.log.error("audit log cannot be written (%s: %s); unrecorded event: %s %s %s by %s: %s",
                          fault.kind, fault.cause, action, outcome, target, name, detail[:300])
        return False
    return True


def pending_path() -> Path:
    """Where command-line account changes wait while the server holds the database (DuckDB lets one
    process write): beside the users file, outside git."""
    return users_path().with_name("audit_pending.jsonl")


def record_cli(actor: str, action: str, target: str, detail: str) -> str:
    """Audit an account change made on the command line: into the database when it can be opened,
    else into the pending file, which the server copies into the log at its next audit write.
    Returns where it went ("database" or the pending file's path)."""
    if db.db_path().exists():  # connecting would otherwise create an empty database file
        try:
            con = db.connect(db.db_path())
            try:
                record_now(con, actor, action, target=target, detail=detail)
            finally:
                con.close()
            return "database"
        except (db.DatabaseUnreadableError, db.DatabaseError):  # locked by the running server
            pass
    path = pending_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"actor": actor, "action": action, "target": target, "detail": detail,
                              "at": dt.datetime.now(dt.UTC).isoformat()}) + "\n")
    path.chmod(0o600)
    return str(path)


def flush_pending(cur: db.Connection) -> None:
    """Copy command-line account changes that waited for the database into the log (then drop the file)."""
    path = pending_path()
    if not path.exists():
        return
    lines = path.read_text(encoding="utf-8").splitlines()
    path.unlink()
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        record(cur, str(entry.get("actor", "cli")), str(entry.get("action", "user")) if entry.get("action") in
               ACTIONS else "user", target=str(entry.get("target", "")),
               detail=f"{entry.get('detail', '')} (command line, {entry.get('at', '')})")
