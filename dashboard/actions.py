"""Every write a page can make, with its role check on the server and its audit record.

Pages never call the loader or the users file directly: hiding a button is not a permission check.
Each function takes the acting User, raises auth.PermissionDenied when the role is too low, and writes
its audit row inside the same transaction as the change (both commit, or neither does).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pandas as pd

from dashboard import audit, auth, db, storage
from dashboard.auth import User
from dashboard.ingest import load as loader
from dashboard.ingest.model import DatasetMeta, IngestError, LoadOptions, Parsed, Problem
from dashboard.ingest.reader import Progress
from dashboard.storage import StorageError

# After this many failed logins for one name within the window, further attempts are refused.
MAX_FAILED_LOGINS = 5
LOCKOUT_MINUTES = 15


def upload(con: db.Connection, actor: User, meta: DatasetMeta, parsed: Parsed, options: LoadOptions | None = None,
           *, progress: Progress | None = None, reopen: Callable[[], db.Connection] | None = None) -> int:
    """Load a dataset as ``actor`` (analyst or admin) with the analyst's ``options`` (loader.load). The
    catalog's loaded_by is the actor, whatever the form said; saved name mappings are recorded as alias changes.

    A storage fault (read-only, disk full at commit, damaged file) raises StorageError with nothing loaded;
    the failed attempt is audited (on a connection from ``reopen`` when DuckDB invalidated this one), or
    logged on the server when the audit log cannot be written either."""
    actor = authorise(con, actor, "analyst", "upload", target=meta.file_name)
    meta = dataclasses.replace(meta, loaded_by=actor.username)
    options = options or LoadOptions()
    mappings = options.extra_aliases
    saved = options.save_mappings and any(mappings.values())

    def record(cur: db.Connection, dataset_id: int) -> None:
        audit.record(cur, actor, "upload", target=f"dataset {dataset_id}",
                     detail=f"{meta.file_name} ({meta.format}, sha256 {meta.sha256[:12]})")
        if saved:
            pairs = "; ".join(f"{entity}: {raw} -> {name}" for entity, m in mappings.items() for raw, name in m.items())
            audit.record(cur, actor, "alias", target=f"dataset {dataset_id}", detail=pairs)
        for old in options.retract_ids:
            audit.record(cur, actor, "retract", target=f"dataset {old}", detail=f"replaced by dataset {dataset_id}")

    for old in options.retract_ids:
        _check_may_change(con, actor, int(old))
    known = True  # a dataset with these bytes before the load (the loader refuses it as a duplicate)
    try:
        db.require_writable(con)  # on the server, as well as on the page
        known = not db.run(con, "datasets_by_sha256", sha256=meta.sha256).empty
        with db.storage_errors():
            return loader.load(con, meta, parsed, options, progress=progress, before_commit=record)
    except IngestError as exc:
        record_refusal(con, actor, meta.file_name, exc.problems, outcome="rejected")
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
    except Exception as exc:  # a database fault: nothing was written (one transaction); say so in the log
        audit.record_now(con, actor, "upload", target=meta.file_name, outcome="failed",
                         detail=f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}")
        raise


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


def record_refusal(con: db.Connection, actor: User | None, file_name: str, problems: list[Problem], *,
                   outcome: str = "refused") -> None:
    """Audit a file that was refused before any write (unreadable, or a validation report), with its first
    problem, so refused uploads are in the log as well as loaded ones."""
    first = str(problems[0]) if problems else "unknown problem"
    audit.record_now(con, _as_now(actor), "upload", target=file_name, outcome=outcome,
                     detail=f"{len(problems)} problem{'s' if len(problems) != 1 else ''}; first: {first}")


def record_failure(con: db.Connection, actor: User | None, action: str, target: str, error_id: str,
                   exc: BaseException) -> None:
    """Audit an unexpected failure under the id the user was shown (the traceback is in the server log)."""
    audit.record_now(con, _as_now(actor), action, target=target, outcome="failed",
                     detail=f"error {error_id}: {type(exc).__name__}")


def _as_now(actor: User | None) -> User | str | None:
    """Who to log: the user with the role they have now, or only the name of a removed account (never
    the role a stale session still carries)."""
    return auth.refresh(actor) or (actor.username if actor else None)


class NoChange(ValueError):
    """The change asked for is already in place (retracting a retracted dataset): nothing was done."""


def authorise(con: db.Connection, actor: User | None, role: str, action: str, target: str = "") -> User:
    """The actor as the accounts file says now (a removed or demoted user loses the right at once, even
    in a session opened before), checked against ``role``. A refusal is audited, then raised."""
    current = auth.refresh(actor)
    if current is not None and current.can(role):
        return current
    if actor is not None and current is None:
        reason = f"the account {actor.username} no longer exists: log in again"
    else:
        reason = f"{current.username if current else 'nobody'} may not do this: it needs the {role} role"
    audit.record_now(con, current or (actor.username if actor else None), action, target=target,
                     outcome="denied", detail=reason)
    raise auth.PermissionDenied(reason)


def _check_may_change(con: db.Connection, actor: User, dataset_id: int, action: str = "retract") -> User:
    """Analysts retract and restore their own datasets; admins any. Returns the actor as now known."""
    actor = authorise(con, actor, "analyst", action, target=f"dataset {dataset_id}")
    found = db.run(con, "load/dataset_by_id", dataset_id=dataset_id)
    if found.empty:
        raise KeyError(f"no dataset {dataset_id}")
    owner = found.iloc[0]["loaded_by"]
    if not actor.can("admin") and owner != actor.username:
        reason = f"dataset {dataset_id} was loaded by {owner}: only they or an admin may retract or restore it"
        audit.record_now(con, actor, action, target=f"dataset {dataset_id}", outcome="denied", detail=reason)
        raise auth.PermissionDenied(reason)
    return actor


def set_dataset_status(con: db.Connection, actor: User, dataset_id: int, status: str) -> None:
    """Retract ('retracted') or restore ('active') a dataset. Asking for the status it already has changes
    nothing, is audited as 'unchanged' and raises NoChange."""
    action = "retract" if status == "retracted" else "restore"
    actor = _check_may_change(con, actor, dataset_id, action)
    db.require_writable(con)
    found = db.run(con, "load/dataset_by_id", dataset_id=dataset_id).iloc[0]
    if found["status"] == status:
        reason = f"dataset {dataset_id} ({found['name']}) is already {status}"
        audit.record_now(con, actor, action, target=f"dataset {dataset_id}", outcome="unchanged", detail=reason)
        raise NoChange(reason)
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


def end_session(con: db.Connection, user: User, outcome: str, reason: str) -> None:
    """A session signed out by the server: the account was removed ('revoked') or the session was resumed
    from another browser ('moved')."""
    audit.record_now(con, _as_now(user), "logout", outcome=outcome, detail=reason)


def add_user(con: db.Connection, actor: User, username: str, password: str, role: str, display_name: str = "") -> User:
    actor = authorise(con, actor, "admin", "user", target=username)
    user = auth.add_user(username, password, role, display_name)
    audit.record_now(con, actor, "user", target=username, detail=f"created or reset with role {role}")
    return user


def set_role(con: db.Connection, actor: User, username: str, role: str) -> None:
    actor = authorise(con, actor, "admin", "user", target=username)
    auth.set_role(username, role)
    audit.record_now(con, actor, "user", target=username, detail=f"role set to {role}")


def remove_user(con: db.Connection, actor: User, username: str) -> None:
    actor = authorise(con, actor, "admin", "user", target=username)
    if username == actor.username:
        raise auth.UserError("you cannot remove your own account")
    auth.remove_user(username)
    audit.record_now(con, actor, "user", target=username, detail="removed")


def audit_log(con: db.Connection, actor: User, action: str = "", who: str = "", limit: int = 500) -> pd.DataFrame:
    """The audit records, for admins only."""
    auth.require(auth.refresh(actor), "admin")
    return db.run(con, "audit_log_recent", action=action, actor=who, limit=limit)
