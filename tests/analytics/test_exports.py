"""Admin exports: the streamed xAPI statement export with LRS filters, learner-level progress."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from analytics.exports import safe_cell
from lms.db import db
from lms.models import AuditEntry

BASE = "http://lms.test/xapi/activities/"


@pytest.fixture
def statements(add_statements, rollup, publish, make_user):
    publish("course", "c1", "Article 3")
    learner = make_user(role="learner", email="lea@example.org", name="Léa Learner")
    rows = add_statements(
        [
            dict(
                verb="registered",
                activity="course/c1",
                actor=learner.uuid,
                user_id=learner.id,
                registration="11111111-1111-4111-8111-111111111111",
                ts=datetime(2024, 1, 5, tzinfo=UTC),
            ),
            dict(
                verb="experienced",
                activity="course/c1/lesson/l1",
                actor=learner.uuid,
                user_id=learner.id,
                parents=["course/c1"],
                ts=datetime(2024, 2, 5, tzinfo=UTC),
            ),
            dict(
                verb="completed",
                activity="course/c1",
                actor="someone-else",
                ts=datetime(2024, 3, 5, tzinfo=UTC),
            ),
        ]
    )
    rollup()
    return {"learner": learner, "rows": rows}


def lines(resp):
    return [json.loads(line) for line in resp.get_data(as_text=True).splitlines()]


def test_statements_are_streamed_as_json_lines_with_lrs_filters(client, as_role, statements):
    as_role("admin")
    resp = client.get("/analytics/export/statements.jsonl")
    assert resp.status_code == 200 and resp.is_streamed and resp.mimetype == "application/x-ndjson"
    everything = lines(resp)
    assert len(everything) == 3 and {s["id"] for s in everything} == {
        r["statement_id"] for r in statements["rows"]
    }
    verb = lines(
        client.get("/analytics/export/statements.jsonl?verb=http://adlnet.gov/expapi/verbs/completed")
    )
    assert [s["actor"]["account"]["name"] for s in verb] == ["someone-else"]
    act = lines(client.get(f"/analytics/export/statements.jsonl?activity={BASE}course/c1"))
    assert len(act) == 2
    related = lines(
        client.get(f"/analytics/export/statements.jsonl?activity={BASE}course/c1&related_activities=y")
    )
    assert len(related) == 3
    reg = lines(
        client.get("/analytics/export/statements.jsonl?registration=11111111-1111-4111-8111-111111111111")
    )
    assert len(reg) == 1
    agent = lines(client.get(f"/analytics/export/statements.jsonl?agent={statements['learner'].uuid}"))
    assert len(agent) == 2
    since = lines(
        client.get("/analytics/export/statements.jsonl?since=2024-02-01&until=2024-02-28T23:59:59Z")
    )
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in since] == ["experienced"]
    assert len(lines(client.get("/analytics/export/statements.jsonl?limit=2"))) == 2


def test_statement_exports_never_carry_e_mail_addresses(client, as_role, statements):
    as_role("admin")
    assert b"lea@example.org" not in client.get("/analytics/export/statements.jsonl").data


@pytest.mark.parametrize(
    "query, reason",
    [
        ("since=yesterday", b"is not a date"),
        ("registration=not-a-uuid", b"A registration is a UUID"),
        ("limit=0", b"Some filters could not be used"),
    ],
)
def test_bad_statement_filters_are_refused_with_the_reason(client, as_role, statements, query, reason):
    as_role("admin")
    resp = client.get(f"/analytics/export/statements.jsonl?{query}")
    assert resp.status_code == 400 and reason in resp.data


def test_learner_progress_is_pseudonymous_unless_a_purpose_is_given_and_is_always_audited(
    client, as_role, statements
):
    admin = as_role("admin")
    resp = client.post("/analytics/export/learners.csv", data={"resource": "course:c1"})
    assert resp.status_code == 200
    text = resp.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["learner"] for r in rows} >= {statements["learner"].uuid}
    assert "lea@example.org" not in text and "Léa" not in text and "email" not in rows[0]
    refused = client.post(
        "/analytics/export/learners.csv", data={"resource": "", "identify": "y", "purpose": "x"}
    )
    assert refused.status_code == 400 and b"purpose" in refused.data
    ok = client.post(
        "/analytics/export/learners.csv",
        data={"resource": "", "identify": "y", "purpose": "Certificates audit requested by COP-6"},
    )
    assert b"lea@example.org" in ok.data
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "analytics.export_learners")
    ).all()
    assert [e.details["identified"] for e in entries] == [False, True]
    assert (
        entries[1].details["purpose"] == "Certificates audit requested by COP-6"
        and entries[1].actor_id == admin.id
    )
    assert client.post("/analytics/export/learners.csv", data={"resource": "course:zzz"}).status_code == 400


def test_csv_cells_that_look_like_formulas_are_neutralised():
    assert safe_cell("=SUM(A1)") == "'=SUM(A1)"
    assert safe_cell("+33 1 23") == "'+33 1 23"
    assert safe_cell("-1+2") == "'-1+2" and safe_cell("@cmd") == "'@cmd" and safe_cell("\tx") == "'\tx"
    assert (
        safe_cell(-3) == -3 and safe_cell(0.5) == 0.5 and safe_cell(None) == "" and safe_cell(True) == "true"
    )
    assert safe_cell("Article 3") == "Article 3"
