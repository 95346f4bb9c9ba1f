"""Admin: user accounts and the audit log. Every action re-checks the admin role on the server. What the tables
show is shaped in page_models/admin.py."""

from __future__ import annotations

import streamlit as st

from dashboard import actions, auth, cache, csv_export, db, session, storage_ui
from dashboard.audit import ACTIONS
from dashboard.page_models import admin as admin_model


def connection() -> db.Connection:
    return cache.connection(str(db.db_path()))


def users_section(user: auth.User) -> None:
    st.subheader("Users")
    users = auth.load_users()
    st.dataframe(admin_model.users_table(users), hide_index=True, key="users_table")
    with st.form("add_user_form", clear_on_submit=True):
        st.markdown("**Add a user, or reset a password**")
        left, middle, right = st.columns(3)
        name = left.text_input("User name", key="new_user_name")
        role = middle.selectbox("Role", auth.ROLES, index=1, key="new_user_role")
        password = right.text_input("Password (10+ characters)", type="password", key="new_user_password")
        if st.form_submit_button("Save user"):
            try:
                actions.add_user(connection(), user, name.strip(), password, role)
            except (auth.UserError, auth.PermissionDenied) as exc:
                st.error(str(exc))
            else:
                st.success(f"Saved {name.strip()} as {role}.")
    if not users:
        return
    left, middle, right = st.columns([2, 1, 1])
    picked = left.selectbox("User", sorted(users), key="admin_pick_user")
    new_role = middle.selectbox("New role", auth.ROLES, key="admin_new_role")
    if middle.button("Change role", key="admin_change_role"):
        _do(lambda: actions.set_role(connection(), user, picked, new_role), f"{picked} is now {new_role}.")
    if right.button("Remove user", key="admin_remove_user"):
        _do(lambda: actions.remove_user(connection(), user, picked), f"Removed {picked}.")


def _do(change, message: str) -> None:
    try:
        change()
    except (auth.UserError, auth.PermissionDenied) as exc:
        st.error(str(exc))
    else:
        st.toast(message)
        st.rerun()


def audit_section(user: auth.User) -> None:
    st.subheader("Audit log")
    left, right = st.columns(2)
    action = left.selectbox("Action", ["", *ACTIONS], format_func=lambda a: a or "all actions", key="audit_action")
    who = right.text_input("User", key="audit_actor")
    log = actions.audit_log(connection(), user, **admin_model.audit_filter(action, who), limit=1000)
    st.dataframe(log, hide_index=True, key="audit_table")
    st.download_button("Download the audit log (CSV)", csv_export.to_csv_bytes(log), file_name="audit_log.csv",
                       mime="text/csv", key="audit_download")


st.title(admin_model.TITLE)
admin = session.require_role("admin")
users_section(admin)
audit_section(admin)
storage_ui.health_section(admin)
