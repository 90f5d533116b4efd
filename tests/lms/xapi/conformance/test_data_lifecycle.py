"""xAPI Data 2.3 Statement Lifecycle (voiding, 2.3.2)."""

from __future__ import annotations

from xapi_helpers import statement, statement_ref, uid, voiding_statement


def test_statement_voiding_a_voiding_statement_is_accepted_and_voids_nothing(lrs):
    # Data 2.3.2.s2.b3: a Statement is voided if and only if it is not itself a voiding Statement and a
    # voiding Statement refers to it; "any Statement that voids another cannot itself be voided". The
    # LRS need not refuse such a statement: it stores it, and the voiding statement it targets stays.
    first = voiding_statement(uid())  # targets an id the LRS does not hold (2.3.2.s2.b5)
    first_id = lrs.store(first)
    second_id = lrs.store(voiding_statement(first_id))
    assert lrs.fetch(second_id)["object"] == statement_ref(first_id)
    assert lrs.get_statements({"statementId": first_id}).status_code == 200
    assert lrs.get_statements({"voidedStatementId": first_id}).status_code == 404


def test_voiding_a_voiding_statement_in_the_same_batch_voids_nothing(lrs):
    # Data 2.3.2.s2.b3, as above, when both statements arrive in one request.
    first = voiding_statement(uid())
    first["id"] = uid()
    second = voiding_statement(first["id"])
    second["id"] = uid()
    assert lrs.store_many([first, second]) == [first["id"], second["id"]]
    assert lrs.get_statements({"statementId": first["id"]}).status_code == 200
    assert lrs.get_statements({"voidedStatementId": first["id"]}).status_code == 404


def test_ordinary_statement_voided(lrs):
    # Data 2.3.2.s2.b3: the target of a voiding statement that is not itself voiding is voided.
    target = lrs.store(statement())
    lrs.store(voiding_statement(target))
    assert lrs.get_statements({"statementId": target}).status_code == 404
    assert lrs.get_statements({"voidedStatementId": target}).status_code == 200
