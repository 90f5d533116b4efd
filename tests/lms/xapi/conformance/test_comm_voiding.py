"""xAPI Data 2.3.2 Voiding and Communication 2.1.4 Voided Statements."""

from __future__ import annotations

import pytest
from xapi_helpers import (
    VOIDED,
    activity,
    activity_id,
    agent_mbox,
    statement,
    statement_ref,
    uid,
    voiding_statement,
)


def test_voided_statement_only_by_voided_statement_id(lrs):
    # Communication 2.1.4.s1.b1: the LRS MUST NOT return a voided Statement unless requested by
    # voidedStatementId.
    target = lrs.store(statement())
    lrs.store(voiding_statement(target))
    assert lrs.get_statements({"statementId": target}).status_code == 404
    resp = lrs.get_statements({"voidedStatementId": target})
    assert resp.status_code == 200
    assert resp.get_json()["id"] == target
    assert target not in {s["id"] for s in lrs.fetch_all()}


def test_voided_statement_id_on_unvoided_statement_404(lrs):
    # Data 2.3.2.s2.b3: a Statement is voided iff a voiding Statement refers to it; a non-voided one is
    # not found by voidedStatementId.
    target = lrs.store(statement())
    assert lrs.get_statements({"voidedStatementId": target}).status_code == 404
    assert lrs.get_statements({"voidedStatementId": uid()}).status_code == 404


def test_voiding_statement_is_returned(lrs):
    # Communication 2.1.4.s1.b2: the LRS MUST still return Statements targeting the voided Statement,
    # including the voiding Statement.
    target = lrs.store(statement())
    voiding = lrs.store(voiding_statement(target))
    assert lrs.fetch(voiding)["object"] == statement_ref(target)
    assert voiding in {s["id"] for s in lrs.fetch_all()}


def test_voiding_statement_matches_filters_of_voided_target(lrs):
    # Communication 2.1.4.s1.b2 + 2.1.3.s3: Statements targeting the voided Statement are returned by the
    # filters the target meets, but the voided Statement itself is not (2.1.4.s1.b1 "no exception").
    ada, act = agent_mbox("Ada"), activity_id()
    target = lrs.store(statement(actor=ada, object=activity(act)))
    voiding = lrs.store(voiding_statement(target, actor=agent_mbox("Admin")))
    for params in ({"agent": {"mbox": ada["mbox"]}}, {"activity": act}):
        assert {s["id"] for s in lrs.fetch_all(params)} == {voiding}
    assert {s["id"] for s in lrs.fetch_all({"verb": VOIDED})} == {voiding}


def test_voiding_statement_cannot_be_voided(lrs):
    # Data 2.3.2.s2.b3: a Statement is voided only if it is not itself a voiding Statement; "Any Statement
    # that voids another cannot itself be voided".
    target = lrs.store(statement())
    voiding = lrs.store(voiding_statement(target))
    second = lrs.post_statements(voiding_statement(voiding))
    assert second.status_code in (200, 400, 403)
    assert lrs.get_statements({"statementId": voiding}).status_code == 200
    assert lrs.get_statements({"voidedStatementId": voiding}).status_code == 404
    # ... and the first target stays voided.
    assert lrs.get_statements({"statementId": target}).status_code == 404


@pytest.mark.xapi_should
def test_voiding_unknown_statement_accepted(lrs):
    # Data 2.3.2.s2.b5: the LRS SHOULD NOT* reject on the grounds of the voided Object not being present;
    # once the target arrives it is voided (it is voided iff a voiding Statement refers to it).
    target_id = uid()
    lrs.store(voiding_statement(target_id))
    lrs.store(statement(id=target_id))
    assert lrs.get_statements({"statementId": target_id}).status_code == 404
    assert lrs.get_statements({"voidedStatementId": target_id}).status_code == 200


def test_voiding_in_same_batch(lrs):
    # Data 2.3.2.s2.b3 applies whatever the order of arrival (here one batch).
    target = statement(id=uid())
    ids = lrs.store_many([target, voiding_statement(target["id"])])
    assert ids[0] == target["id"]
    assert lrs.get_statements({"statementId": target["id"]}).status_code == 404
    assert lrs.get_statements({"voidedStatementId": target["id"]}).status_code == 200


@pytest.mark.parametrize(
    "obj",
    [
        {"objectType": "Activity", "id": "http://lms.example.org/xapi/activities/x"},
        {"objectType": "Agent", "mbox": "mailto:someone@example.org"},
        {
            "objectType": "SubStatement",
            "actor": {"mbox": "mailto:s@example.org"},
            "verb": {"id": "http://example.org/verbs/did"},
            "object": {"id": "http://example.org/a"},
        },
    ],
    ids=["activity", "agent", "substatement"],
)
def test_voiding_statement_object_must_be_statement_ref(lrs, obj):
    # Data 2.3.2.s2.b1: the Object of a voiding Statement MUST have objectType "StatementRef".
    lrs.rejects(statement(id=uid(), verb={"id": VOIDED, "display": {"en-US": "voided"}}, object=obj))


def test_voided_statements_excluded_from_more_pages(lrs):
    # Communication 2.1.4.s1.b1 over paged results too.
    targets = [lrs.store(statement()) for _ in range(3)]
    for target in targets[:2]:
        lrs.store(voiding_statement(target))
    got = {s["id"] for s in lrs.fetch_all({"limit": 1})}
    assert targets[2] in got
    assert not got & set(targets[:2])
