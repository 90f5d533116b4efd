"""The personal data export includes the user's xAPI statements (and only theirs)."""

from __future__ import annotations

import json

from lms.db import db
from lms.xapi import activity_iri, record_statement


def test_export_contains_the_users_statements_only(client, make_user, login):
    lea = make_user(email="lea@example.org")
    other = make_user(email="other@example.org")
    mine = record_statement(user=lea, verb="experienced", activity_id=activity_iri("course", "mercury-101"))
    record_statement(user=other, verb="experienced", activity_id=activity_iri("course", "mercury-102"))
    db.session.commit()

    login(lea)
    data = json.loads(client.get("/account/export").get_data(as_text=True))

    section = data["xapi_statements"]
    assert [s["statement"]["id"] for s in section] == [mine["id"]]
    assert section[0]["voided"] is False
    assert section[0]["statement"]["actor"]["account"]["name"] == lea.uuid
    assert section[0]["statement"]["object"]["id"].endswith("/course/mercury-101")
    assert other.uuid not in json.dumps(data)


def test_export_of_a_user_without_statements_has_an_empty_section(app, make_user):
    from lms.account.services import export_user_data

    assert export_user_data(make_user())["xapi_statements"] == []
