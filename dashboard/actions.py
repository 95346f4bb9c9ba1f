"""Every write a page can make, with its role check on the server and its audit record.

Pages never call the loader or the users file directly: hiding a button is not a permission check.
Each function takes the acting User, raises auth.PermissionDenied when the role is too low, and writes
its audit row inside the same transaction as the change (both commit, or neither does).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

from dashboard import audit, auth, db, storage
from dashboard.auth import User
from dashboard.ingest import load as loader
from dashboard.ingest.model import DatasetMeta, IngestError, Parsed
from dashboard.storage import StorageError

# After this many failed logins for one name within the window, further attempts are refused.
MAX_FAILED_LOGINS = 5
LOCKOUT_MINUTES = 15


def upload(con: db.Connection, actor: User, meta: DatasetMeta, parsed: Parsed, *,
           reopen: Callable[[], db.Connection] | None = None, **options: Any) -> int:
    """Load a dataset as ``actor`` (analyst or admin). The catalog's loaded_by is the actor, whatever the
    form said; saved name mappings are recorded as alias changes.

    A storage fault (read-only, disk full at commit, damaged file) raises StorageError with nothing loaded;
    the failed attempt is audited (on a connection from ``reopen`` when DuckDB invalidated this one), or
    logged on the server when the audit log cannot be written either."""
    auth.require(actor, "analyst")
    meta = dataclasses.replace(meta, loaded_by=actor.username)
    mappings = options.get("extra_aliases") or {}
    saved = options.get("save_mappings") and any(mappings.values())

    def record(cur: db.Connection, dataset_id: int) -> None:
        audit.record(cur, actor, "upload", target=f"dataset {dataset_id}",
                     detail=f"{meta.file_name} ({meta.format}, sha256 {meta.sha256[:12]})")
        if saved:
            pairs = "; ".join(f"{entity}: {raw} -> {name}" for entity, m in mappings.items() for raw, name in m.items())
            audit.record(cur, actor, "alias", target=f"dataset {dataset_id}", detail=pairs)
        for old in options.get("retract_ids", ()):
            audit.record(cur, actor, "retract", target=f"dataset {old}", detail=f"replaced by dataset {dataset_id}")

    for old in options.get("retract_ids", ()):
        _check_may_change(con, actor, int(old))
    known = True  # a dataset with these bytes before the load (the loader refuses it as a duplicate)
    try:
        db.require_writable(con)  # on the server, as well as on the page
        known = not db.run(con, "datasets_by_sha256", sha256=meta.sha256).empty
        with db.storage_errors():
            return loader.load(con, meta, parsed, before_commit=record, **options)
    except IngestError as exc:
        audit.record_now(con, actor, "upload", target=meta.file_name, outcome="rejected",
                         detail=f"{len(exc.problems)} problems; first: {exc.problems[0] if exc.problems else ''}")
        raise
    except StorageError as fault:
        if fault.invalidated and reopen is not None:
            try:
                con = reopen()
            except StorageError as again:
                fault = again
        landed = None if known else _landed_anyway(con, meta)
        if landed is not None:
            return landed
        audit.record_now(con, actor, "upload", target=meta.file_name, outcome="failed",
                         detail=f"storage fault ({fault.kind}): {fault.cause}")
        raise fault


def _landed_anyway(con: db.Connection, meta: DatasetMeta) -> int | None:
    """The dataset's id when the load is in the database after all (the commit was written, only the
    checkpoint after it failed); None when it is not, or the database cannot be read to tell. Called only
    when no dataset had these bytes before the load, so one found now is this load."""
    try:
        found = db.run(con, "datasets_by_sha256", sha256=meta.sha256)
    except (StorageError, db.DatabaseError):
        return None
    if found.empty:
        return None
    storage.log.error("a storage fault was reported after the commit of %s, but it is in the database as "
                      "dataset %s", meta.file_name, found.iloc[0]["dataset_id"])
    return int(found.iloc[0]["dataset_id"])


def _check_may_change(con: db.Connection, actor: User, dataset_id: int) -> None:
    """Analysts retract and restore their own datasets; admins any."""
    auth.require(actor, "analyst")
    found = db.run(con, "load/dataset_by_id", dataset_id=dataset_id)
    if found.empty:
        raise KeyError(f"no dataset {dataset_id}")
    owner = found.iloc[0]["loaded_by"]
    if not actor.can("admin") and owner != actor.username:
        raise auth.PermissionDenied(
            f"dataset {dataset_id} was loaded by {owner}: only they or an admin may retract or restore it")


def set_dataset_status(con: db.Connection, actor: User, dataset_id: int, status: str) -> None:
    """Retract ('retracted') or restore ('active') a dataset."""
    _check_may_change(con, actor, dataset_id)
    db.require_writable(con)
    action = "retract" if status == "retracted" else "restore"
    with db.storage_errors():
        loader.set_status(con, dataset_id, status,
                          before_commit=lambda cur, _: audit.record(cur, actor, action, target=f"dataset {dataset_id}"))


def recent_failed_logins(con: db.Connection, username: str) -> int:
    found = db.run(con, "audit_failed_logins", actor=username, minutes=LOCKOUT_MINUTES)
    return int(found.iloc[0]["failures"])


def login(con: db.Connection, username: str, password: str) -> User | None:
    """Check a password and record the attempt; refuses (and records) attempts on a locked-out name."""
    username = username.strip()[:64]
    if recent_failed_logins(con, username) >= MAX_FAILED_LOGINS:
        audit.record_now(con, username, "login", outcome="locked", detail="too many failed attempts")
        return None
    user = auth.authenticate(username, password)
    audit.record_now(con, user or username, "login", outcome="ok" if user else "failed")
    return user


def record_oidc_login(con: db.Connection, user: User) -> None:
    audit.record_now(con, user, "login", detail="OIDC")


def logout(con: db.Connection, user: User) -> None:
    audit.record_now(con, user, "logout")


def add_user(con: db.Connection, actor: User, username: str, password: str, role: str, display_name: str = "") -> User:
    auth.require(actor, "admin")
    user = auth.add_user(username, password, role, display_name)
    audit.record_now(con, actor, "user", target=username, detail=f"created or reset with role {role}")
    return user


def set_role(con: db.Connection, actor: User, username: str, role: str) -> None:
    auth.require(actor, "admin")
    auth.set_role(username, role)
    audit.record_now(con, actor, "user", target=username, detail=f"role set to {role}")


def remove_user(con: db.Connection, actor: User, username: str) -> None:
    auth.require(actor, "admin")
    if username == actor.username:
        raise auth.UserError("you cannot remove your own account")
    auth.remove_user(username)
    audit.record_now(con, actor, "user", target=username, detail="removed")


def audit_log(con: db.Connection, actor: User, action: str = "", who: str = "", limit: int = 500):
    """The audit records, for admins only."""
    auth.require(actor, "admin")
    return db.run(con, "audit_log_recent", action=action, actor=who, limit=limit)
