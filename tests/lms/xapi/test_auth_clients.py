"""LRS client credentials (Communication 4.0), scopes (4.2) and the authority they give statements
(Data 2.4.9)."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements_testing import Client, basic, error_message, new_id, statement_count, stmt  # noqa: E402

from lms.db import db, utcnow  # noqa: E402
from lms.xapi.auth import LRSClient, create_client, deactivate_client, issue_launch_credentials  # noqa: E402


def test_secret_is_hashed_and_key_is_public(app):
    client, key, secret = create_client("Moodle bridge", ["statements/write"])
    db.session.commit()
    row = db.session.get(LRSClient, client.id)
    assert row.key == key and secret not in row.secret_hash and row.check_secret(secret)
    assert not row.check_secret(secret + "x")
    assert row.scopes == ["statements/write"]


@pytest.mark.parametrize("scopes", [[], ["statements/delete"], ["ALL"]])
def test_unknown_scopes_are_refused(app, scopes):
    with pytest.raises(ValueError):
        create_client("x", scopes)


def test_missing_wrong_and_malformed_credentials_are_401(client, lrs):
    for auth in (
        None,
        "Bearer abc",
        "Basic !!!",
        basic(lrs.key, "wrong"),
        basic("nobody", "x"),
        "Basic Og==",
    ):
        headers = {"X-Experience-API-Version": "1.0.3"}
        if auth:
            headers["Authorization"] = auth
        resp = client.get("/xapi/statements", headers=headers)
        assert resp.status_code == 401, auth
        assert error_message(resp)


def test_deactivated_and_expired_clients_are_refused(client, make_lrs):
    active = make_lrs(("all",))
    assert active.get().status_code == 200
    row = db.session.query(LRSClient).filter_by(key=active.key).one()
    deactivate_client(row)
    db.session.commit()
    assert active.get().status_code == 401
    expired = make_lrs(("all",), expires_dt=utcnow() - timedelta(minutes=1))
    assert expired.get().status_code == 401


def test_scopes_govern_reading_and_writing(make_lrs):
    writer = make_lrs(("statements/write",))
    reader = make_lrs(("statements/read",))
    all_read = make_lrs(("all/read",))
    state_only = make_lrs(("state",))
    sid = writer.store(stmt())[0]
    assert writer.get({"statementId": sid}).status_code == 403
    assert reader.get({"statementId": sid}).status_code == 200
    assert all_read.get({"statementId": sid}).status_code == 200
    resp = reader.post(stmt())
    assert resp.status_code == 403 and "scope" in error_message(resp)
    assert all_read.post(stmt()).status_code == 403
    assert state_only.get().status_code == 403
    assert statement_count() == 1


def test_read_mine_only_sees_statements_it_wrote(make_lrs):
    mine = make_lrs(("statements/write", "statements/read/mine"))
    other = make_lrs(("all",))
    my_id = mine.store(stmt())[0]
    their_id = other.store(stmt())[0]
    listed = [s["id"] for s in mine.get().get_json()["statements"]]
    assert listed == [my_id]
    assert mine.get({"statementId": their_id}).status_code == 404
    assert mine.get({"statementId": my_id}).status_code == 200
    assert {s["id"] for s in other.get().get_json()["statements"]} == {my_id, their_id}


def test_launch_credentials_are_bound_to_the_learner(app, client, make_user):
    learner = make_user()
    someone = make_user()
    reg = new_id()
    key, secret = issue_launch_credentials(
        learner, registration=reg, activity_id="http://lms.test/a", minutes=30
    )
    db.session.commit()
    launch = Client(client, key, secret)
    me = {"objectType": "Agent", "account": {"homePage": "http://lms.test", "name": learner.uuid}}
    sid = launch.store(stmt(actor=me))[0]
    data = launch.get({"statementId": sid}).get_json()
    assert data["authority"]["objectType"] == "Group"
    assert me in data["authority"]["member"]
    assert {"objectType": "Agent", "account": {"homePage": "http://lms.test", "name": key}} in data[
        "authority"
    ]["member"]
    row = db.session.query(LRSClient).filter_by(key=key).one()
    assert row.user_id == learner.id and row.registration == reg and row.expires_dt > utcnow()
    assert set(row.scopes) == {"statements/write", "statements/read/mine", "state"}
    for actor in (
        {"objectType": "Agent", "account": {"homePage": "http://lms.test", "name": someone.uuid}},
        {"mbox": "mailto:ana@example.org"},
        {"objectType": "Group", "member": [me]},
    ):
        resp = launch.post([stmt(actor=me), stmt(actor=actor)])
        assert resp.status_code == 403, actor
        assert "statements[1].actor" in error_message(resp)
    assert statement_count() == 1


def test_launch_credentials_expire(app, client, make_user):
    learner = make_user()
    key, secret = issue_launch_credentials(learner, registration=None, activity_id=None, minutes=30)
    row = db.session.query(LRSClient).filter_by(key=key).one()
    row.expires_dt = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert Client(client, key, secret).get().status_code == 401


def test_credentials_of_a_deactivated_user_are_refused(app, client, make_user):
    learner = make_user()
    key, secret = issue_launch_credentials(learner, registration=None, activity_id=None, minutes=30)
    db.session.commit()
    launch = Client(client, key, secret)
    assert launch.get().status_code == 200
    learner.is_active_account = False
    db.session.commit()
    assert launch.get().status_code == 401


def test_launch_credentials_void_only_their_learners_statements(app, client, make_user, lrs):
    learner = make_user()
    me = {"objectType": "Agent", "account": {"homePage": "http://lms.test", "name": learner.uuid}}
    key, secret = issue_launch_credentials(learner, registration=None, activity_id=None, minutes=30)
    db.session.commit()
    launch = Client(client, key, secret)
    mine = launch.store(stmt(actor=me))[0]
    other = lrs.store(stmt())[0]

    def voiding(target):
        return stmt(
            actor=me,
            verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
            object={"objectType": "StatementRef", "id": target},
        )

    resp = launch.post(voiding(other))
    assert resp.status_code == 403 and "statements[0].object" in error_message(resp)
    assert lrs.get({"statementId": other}).status_code == 200
    assert launch.post(voiding(mine)).status_code == 200
    assert lrs.get({"voidedStatementId": mine}).status_code == 200
