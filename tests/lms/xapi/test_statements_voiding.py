"""Voiding (Data 2.3.2, Communication 2.1.4) and StatementRef filter conditions (Communication 2.1.3.s3)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements_testing import ACTIVITY, agent, error_message, new_id, statement_count, stmt  # noqa: E402

from lms.db import db  # noqa: E402
from lms.xapi.models import Statement  # noqa: E402

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
ADMIN = agent("admin@example.org")


def voiding(target: str, **kw) -> dict:
    return stmt(
        actor=ADMIN,
        verb={"id": VOIDED, "display": {"en": "voided"}},
        object={"objectType": "StatementRef", "id": target},
        **kw,
    )


def ids_of(resp):
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return [s["id"] for s in resp.get_json()["statements"]]


def test_voided_statement_is_hidden_but_fetchable_by_voided_statement_id(lrs):
    target = lrs.store(stmt())[0]
    voider = lrs.store(voiding(target))[0]
    assert lrs.get({"statementId": target}).status_code == 404
    got = lrs.get({"voidedStatementId": target})
    assert got.status_code == 200 and got.get_json()["id"] == target
    assert lrs.get({"voidedStatementId": voider}).status_code == 404  # not voided
    assert ids_of(lrs.get()) == [voider]
    # the voiding statement targets the voided one, so it matches the voided statement's filters
    assert ids_of(lrs.get({"activity": ACTIVITY})) == [voider]
    assert ids_of(lrs.get({"agent": agent("ana@example.org")})) == [voider]


def test_a_voiding_statement_cannot_be_voided(lrs):
    # Data 2.3.2.s2.b3: only a statement that is not itself voiding is voided. The statement aimed at a
    # voiding statement is stored (the ADL conformance suite, XAPI-00016, needs it accepted) and voids
    # nothing: its target stays returned, and the first target stays voided.
    target = lrs.store(stmt())[0]
    voider = lrs.store(voiding(target))[0]
    resp = lrs.post(voiding(voider))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert statement_count() == 3
    assert lrs.get({"statementId": voider}).status_code == 200
    assert lrs.get({"voidedStatementId": voider}).status_code == 404
    assert lrs.get({"statementId": target}).status_code == 404


def test_voiding_a_voiding_statement_of_the_same_batch_voids_nothing(lrs):
    first = voiding(new_id(), id=new_id())
    second = voiding(first["id"], id=new_id())
    assert lrs.post([first, second]).status_code == 200
    assert lrs.get({"statementId": first["id"]}).status_code == 200
    assert lrs.get({"voidedStatementId": first["id"]}).status_code == 404


def test_a_statement_voiding_a_voiding_statement_stored_later_voids_nothing(lrs):
    first = voiding(new_id(), id=new_id())
    lrs.store(voiding(first["id"]))
    lrs.store(first)
    assert lrs.get({"statementId": first["id"]}).status_code == 200


def test_voiding_an_unknown_statement_is_allowed_and_applies_when_it_arrives(lrs):
    later = new_id()
    lrs.store(voiding(later))
    assert lrs.put(stmt(id=later), later).status_code == 204
    assert lrs.get({"statementId": later}).status_code == 404
    assert lrs.get({"voidedStatementId": later}).status_code == 200


def test_voiding_within_one_batch(lrs):
    target = stmt(id=new_id())
    lrs.store(target, voiding(target["id"]))
    assert lrs.get({"statementId": target["id"]}).status_code == 404
    row = db.session.query(Statement).filter_by(statement_id=target["id"]).one()
    assert row.is_voided is True


def test_voiding_statement_needs_a_statement_ref(lrs):
    resp = lrs.post(stmt(verb={"id": VOIDED}))
    assert resp.status_code == 400
    assert "StatementRef" in error_message(resp)


def test_statement_refs_match_filters_of_their_target_recursively(lrs):
    original = lrs.store(stmt(actor=agent("ben@example.org")))[0]
    comment = lrs.store(
        stmt(
            actor=agent("andrew@example.org"),
            verb={"id": "http://example.org/commented"},
            object={"objectType": "StatementRef", "id": original},
        )
    )[0]
    reply = lrs.store(
        stmt(
            actor=agent("carol@example.org"),
            verb={"id": "http://example.org/replied"},
            object={"objectType": "StatementRef", "id": comment},
        )
    )[0]
    unrelated = lrs.store(stmt(actor=agent("dan@example.org")))[0]
    assert set(ids_of(lrs.get({"agent": agent("ben@example.org")}))) == {original, comment, reply}
    assert set(ids_of(lrs.get({"verb": "http://example.org/commented"}))) == {comment, reply}
    assert unrelated in ids_of(lrs.get({"activity": ACTIVITY}))
    # time filters still apply to the referring statements themselves
    stored_comment = lrs.get({"statementId": comment}).get_json()["stored"]
    assert set(ids_of(lrs.get({"agent": agent("ben@example.org"), "until": stored_comment}))) == {
        original,
        comment,
    }


def test_context_statement_refs_do_not_affect_filtering(lrs):
    original = lrs.store(stmt(actor=agent("ben@example.org")))[0]
    other = lrs.store(
        stmt(
            actor=agent("x@example.org"),
            context={"statement": {"objectType": "StatementRef", "id": original}},
        )
    )[0]
    assert other not in ids_of(lrs.get({"agent": agent("ben@example.org")}))
