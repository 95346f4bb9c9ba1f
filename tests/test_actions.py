"""Every write path checks the role on the server and leaves an audit record."""

from __future__ import annotations

import pytest

from dashboard import actions, auth, db
from dashboard.auth import User
from dashboard.ingest.formats import native_complaints
from dashboard.ingest.model import DatasetMeta, IngestError, sha256
from dashboard.ingest.reader import read_csv_text

VIEWER, ANALYST, OTHER, ADMIN = (User("vic", "viewer"), User("ana", "analyst"), User("olu", "analyst"),
                                 User("ada", "admin"))
GOOD = (b"complaint_id,platform,category,group,region,submitted_at,resolved_at,outcome,items\n"
        b"A-1,FB,Recruitment,TTP,KPK,2024-03-01 10:00:00,2024-03-02 10:00:00,removed,2\n")


def meta(data: bytes) -> DatasetMeta:
    return DatasetMeta(name="log", kind="complaints", source="Test", licence="test", attribution="test",
                       format="native_complaints", file_name="log.csv", sha256=sha256(data), loaded_by="forged")


def upload(con, user: User, data: bytes = GOOD) -> int:
    return actions.upload(con, user, meta(data), native_complaints.parse(read_csv_text(data)))


def audit_rows(con, **filters) -> list[tuple]:
    rows = db.run(con, "audit_log_recent", action=filters.get("action", ""), actor=filters.get("actor", ""), limit=100)
    return list(rows[["actor", "action", "target", "outcome"]].itertuples(index=False, name=None))


@pytest.fixture
def users(tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATORY_USERS", str(tmp_path / "users.json"))
    auth.add_user("ada", "an admin password", "admin")


def test_a_viewer_cannot_upload_and_nothing_changes(rw_con):
    before = db.data_version(rw_con)
    with pytest.raises(auth.PermissionDenied):
        upload(rw_con, VIEWER)
    assert db.data_version(rw_con) == before
    assert audit_rows(rw_con) == [("vic", "upload", "log.csv", "denied")]  # the refusal is in the log


def test_an_upload_is_recorded_under_the_actor_whatever_the_form_said(rw_con):
    dataset_id = upload(rw_con, ANALYST)
    owner = rw_con.execute("select loaded_by from datasets where dataset_id = ?", [dataset_id]).fetchone()[0]
    assert owner == "ana"
    assert audit_rows(rw_con) == [("ana", "upload", f"dataset {dataset_id}", "ok")]


def test_a_rejected_upload_is_audited_as_rejected(rw_con):
    bad = GOOD.replace(b",2\n", b",-2\n")
    with pytest.raises(IngestError):
        upload(rw_con, ANALYST, bad)
    assert audit_rows(rw_con) == [("ana", "upload", "log.csv", "rejected")]


def test_analysts_retract_their_own_datasets_only_and_admins_any(rw_con):
    mine = upload(rw_con, ANALYST)
    with pytest.raises(auth.PermissionDenied, match="only they or an admin"):
        actions.set_dataset_status(rw_con, OTHER, mine, "retracted")
    with pytest.raises(auth.PermissionDenied):
        actions.set_dataset_status(rw_con, VIEWER, mine, "retracted")
    actions.set_dataset_status(rw_con, ANALYST, mine, "retracted")
    actions.set_dataset_status(rw_con, ADMIN, 1, "retracted")
    statuses = dict(rw_con.execute("select dataset_id, status from datasets").fetchall())
    assert statuses[mine] == "retracted" and statuses[1] == "retracted"
    assert audit_rows(rw_con, action="retract") == [  # newest first; the refusals are recorded too
        ("ada", "retract", "dataset 1", "ok"), ("ana", "retract", f"dataset {mine}", "ok"),
        ("vic", "retract", f"dataset {mine}", "denied"), ("olu", "retract", f"dataset {mine}", "denied")]


def test_only_admins_manage_users_and_see_the_audit_log(rw_con, users):
    with pytest.raises(auth.PermissionDenied):
        actions.add_user(rw_con, ANALYST, "eve", "a long password", "admin")
    with pytest.raises(auth.PermissionDenied):
        actions.audit_log(rw_con, ANALYST)
    actions.add_user(rw_con, ADMIN, "nia", "a long password", "analyst")
    actions.set_role(rw_con, ADMIN, "nia", "viewer")
    assert auth.load_users()["nia"]["role"] == "viewer"
    with pytest.raises(auth.UserError):
        actions.remove_user(rw_con, ADMIN, "ada")
    log = actions.audit_log(rw_con, ADMIN, action="user")
    assert log[log["outcome"] == "ok"]["detail"].tolist() == ["role set to viewer", "created or reset with role analyst"]
    assert log[log["outcome"] == "denied"]["target"].tolist() == ["eve"]  # the analyst's attempt is logged


def test_logins_are_audited_and_a_name_is_locked_after_repeated_failures(rw_con, users):
    assert actions.login(rw_con, "ada", "an admin password") == User("ada", "admin")
    for _ in range(actions.MAX_FAILED_LOGINS):
        assert actions.login(rw_con, "ada", "guess") is None
    # even the right password is refused while the name is locked
    assert actions.login(rw_con, "ada", "an admin password") is None
    outcomes = [r[3] for r in audit_rows(rw_con, action="login")]
    assert outcomes == ["locked"] + ["failed"] * actions.MAX_FAILED_LOGINS + ["ok"]
