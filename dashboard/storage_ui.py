"""How storage faults, the start-up notice and storage health appear on pages (the words are in storage.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, backup, cache, db, health, startup, storage
from dashboard.storage import StorageError
from dashboard.ui import md_escape


def show_fault(fault: StorageError, where: str) -> None:
    """The page's message (what happened, what to do, which file) and one server-log line; a connection
    DuckDB invalidated is closed so the next run opens the file again."""
    fault = fault.at(db.db_path())
    storage.log_fault(fault, where)
    if fault.invalidated:
        cache.reset()
    st.error(f"**{md_escape(fault.what())}**\n\n{md_escape(fault.todo())}", icon=":material/database:")
    if fault.command:
        st.code(fault.command, language="bash")


def show_start_notice() -> None:
    """Say on every page that a damaged file was replaced by the default data (never a silent loss)."""
    notice = cache.start_notice()
    if notice:
        st.warning(md_escape(
            f"On {notice['at']} the database file was found damaged ({notice['cause']}) and moved aside to "
            f"{notice['moved_to']}. No backup existed, so the shipped default data was rebuilt: datasets "
            "uploaded before then are lost and must be uploaded again. An admin can dismiss this notice on the "
            "Admin page."), icon=":material/warning:")


def read_only_notice(action: str) -> bool:
    """Warn and return True when the database cannot be written now (``action`` says what is off)."""
    reason = cache.read_only_reason()
    if reason:
        st.warning(md_escape(f"The database is read-only ({reason}): {action} cannot be saved. Charts, tables "
                             "and exports work. An operator can make the file and its folder writable and "
                             "restart the app."), icon=":material/lock:")
    return bool(reason)


def health_section(user: auth.User) -> None:
    """Admin page: database path, schema version, size, last backup, free disk; back up now."""
    auth.require(user, "admin")
    st.subheader("Storage health")
    path = db.db_path()
    rows = health.report(path, cache.connection(str(path)))
    st.table(pd.DataFrame({"value": list(rows.values())}, index=pd.Index(list(rows), name="")))
    left, right = st.columns(2)
    if left.button("Back up now", key="backup_now"):
        try:
            made = backup.create(cache.connection(str(path)), path)
        except StorageError as fault:
            show_fault(fault, "during a backup from the Admin page")
        else:
            st.success(md_escape(f"Backup written: {made}"))
    if cache.start_notice() and right.button("Dismiss the rebuild notice", key="dismiss_notice"):
        startup.dismiss_notice(path)
        st.rerun()
    st.caption("Restore a backup with the app stopped: make restore FILE=<backup file>. See the README, "
               "section Operations.")
