"""Storage faults in plain words: what happened to the database file, what the operator should do, one log line.

The database layer (db.py) turns DuckDB and OS errors about the file itself (damaged, cut short, not a
database, read-only, disk full, in use) into one StorageError; pages show ``str(error)`` and the server
log gets ``log_fault`` (one line with the cause). Nothing here imports duckdb: errors are recognised by
their text (DuckDB's exception classes are broad: a checksum error is a bare duckdb.Error) or errno.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger("dashboard.storage")

# (kind, pieces of the error text that identify it), first match wins: "invalidated" errors carry the
# original error's text, so the cause underneath is found the same way.
_PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("disk_full", ("no space left on device", "disk quota exceeded", "file too large")),
    ("read_only", ("read-only file system", "operation not permitted", "permission denied",
                   "attached in read-only mode", "read-only mode")),
    ("in_use", ("could not set lock on file", "conflicting lock", "different configuration")),
    ("corrupt", ("corrupt database file", "checksum", "serialization error", "failed to deserialize")),
    ("truncated", ("could not read enough bytes", "could not read all bytes")),
    ("not_database", ("not a valid duckdb database file", "database file with an invalid header")),
    ("closed", ("connection already closed", "connection has already been closed")),
    ("io", ("io error", "could not write file", "could not read from file", "could not fsync")),
)
_ERRNO_KIND = {errno.ENOSPC: "disk_full", errno.EDQUOT: "disk_full", errno.EFBIG: "disk_full",
               errno.EROFS: "read_only", errno.EACCES: "read_only", errno.EPERM: "read_only"}
DAMAGED = frozenset({"corrupt", "truncated", "not_database"})


class StorageError(RuntimeError):
    """The database file cannot be used as asked. ``kind`` is one of the _PATTERNS kinds; ``invalidated``
    means DuckDB closed the database after the error (the connection must be opened again)."""

    def __init__(self, kind: str, path: Path | str | None, cause: str, *, invalidated: bool = False,
                 advice: str = "") -> None:
        self.kind, self.path, self.cause, self.invalidated = kind, str(path or "the database file"), cause, invalidated
        self.advice = advice
        self.logged = False  # log_fault writes one line per fault, however many places show it
        self.command = ""  # the exact command the operator should run, when there is one
        super().__init__(f"{self.what()} {self.todo()}")

    def at(self, path: Path | str) -> StorageError:
        """The same fault naming ``path`` when the error text did not say which file."""
        if self.path != "the database file":
            return self
        named = StorageError(self.kind, path, self.cause, invalidated=self.invalidated, advice=self.advice)
        named.logged, named.command = self.logged, self.command
        return named

    def what(self) -> str:
        file = self.path
        return {
            "corrupt": f"The database file {file} is damaged: part of it no longer matches what was written "
                       "(a checksum check failed).",
            "truncated": f"The database file {file} is shorter than it should be: it was cut off (a full disk, an "
                         "interrupted copy or a failing disk).",
            "not_database": f"The file {file} is not an observatory database (DuckDB cannot read it).",
            "read_only": f"The database file {file} or its folder cannot be written ({self.cause}).",
            "disk_full": f"The disk that holds {file} is full: nothing was saved and the database is as it was.",
            "in_use": f"The database file {file} is in use by another program ({self.cause}).",
            "closed": f"The database file {file} was opened again after a storage fault while this page loaded.",
        }.get(self.kind, f"The database file {file} could not be read or written ({self.cause}).")

    def todo(self) -> str:
        if self.advice:
            return self.advice
        folder = Path(self.path).parent
        return {
            "corrupt": "Stop the app and restart it: at start a damaged file is moved aside and you are told how "
                       "to restore the latest backup (make restore FILE=...).",
            "truncated": "Stop the app and restart it: at start a damaged file is moved aside and you are told how "
                         "to restore the latest backup (make restore FILE=...).",
            "not_database": "Move it aside and restart (the app does both at start), or point OBSERVATORY_DB at "
                            "the right file.",
            "read_only": "Charts and exports still work; uploads and other changes cannot be saved. Make the file "
                         "and its folder writable for the app's user (permissions, chattr -i, a read-only mount), "
                         "then restart the app.",
            "disk_full": f"Free space on that disk (df -h {folder}), then try again.",
            "in_use": "Stop the other program (or use the running app), then try again.",
            "closed": "Reload the page.",
        }.get(self.kind, "Check the disk and the file, then restart the app.")


def classify(exc: BaseException, path: Path | str | None = None) -> StorageError | None:
    """The StorageError an exception stands for, or None when it is not about the file (a bug, bad SQL)."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, OSError) and exc.errno in _ERRNO_KIND:
        return StorageError(_ERRNO_KIND[exc.errno], path or exc.filename, one_line(exc))
    text = str(exc).lower()
    invalidated = "database has been invalidated" in text or "fatal error" in text
    for kind, needles in _PATTERNS:
        if any(needle in text for needle in needles):
            return StorageError(kind, path, one_line(exc), invalidated=invalidated)
    if invalidated:
        return StorageError("io", path, one_line(exc), invalidated=True)
    return None


def one_line(exc: BaseException | str) -> str:
    """An error's text on one line, short enough for a log line and a message."""
    text = " ".join(str(exc).split())
    return text[:400]


def log_fault(fault: StorageError, where: str) -> None:
    """One server-log line with the cause (never a traceback: the page already says what to do)."""
    if fault.logged:
        return
    fault.logged = True
    log.error("storage fault (%s) %s: %s [%s]", fault.kind, where, fault.cause, fault.path)


def write_problem(path: Path | str) -> str | None:
    """Why the database at ``path`` cannot be written (file or folder read-only), or None.

    os.access answers for the current user and also sees immutable files and read-only mounts (as root too).
    """
    path = Path(path)
    folder = path.parent
    if folder.exists() and not os.access(folder, os.W_OK):  # the write-ahead log and lock file live there
        return f"the folder {folder} is read-only"
    if path.exists() and not os.access(path, os.W_OK):
        return f"the file {path} is read-only"
    return None


def free_bytes(path: Path | str) -> int | None:
    """Free space on the disk holding ``path`` (its nearest existing folder)."""
    folder = Path(path)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None
