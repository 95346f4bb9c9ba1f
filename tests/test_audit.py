"""The audit log records who did what and when, in the same transaction as the change."""

from __future__ import annotations

import pytest

from dashboard import audit, db
from dashboard.auth import User

ANALYST = User("ana", "analyst")


def recent(con, **filters):
    return db.run(con, "audit_log_recent", action=filters.get("action", ""), actor=filters.get("actor", ""),
                  limit=50)


def test_records_are_listed_newest_first_with_actor_and_role(rw_con):
    audit.record_now(rw_con, "mallory", "login", outcome="failed", detail="wrong password")
    audit.record_now(rw_con, ANALYST, "login")
    rows = recent(rw_con).fillna({"role": "-"})
    assert rows[["actor", "role", "action", "outcome"]].values.tolist() == [
        ["ana", "analyst", "login", "ok"], ["mallory", "-", "login", "failed"]]
    assert recent(rw_con, actor="mallory")["detail"].tolist() == ["wrong password"]


def test_a_rolled_back_change_leaves_no_audit_record(rw_con):
    with rw_con.cursor() as cur:
        cur.execute("begin transaction")
        audit.record(cur, ANALYST, "retract", target="dataset 1")
        cur.execute("rollback")
    assert recent(rw_con).empty


def test_unknown_actions_are_refused(rw_con):
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.record_now(rw_con, ANALYST, "drop everything")
