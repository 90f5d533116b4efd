"""xAPI Data 2.4.9 Authority."""

from __future__ import annotations

import pytest
from xapi_helpers import agent_mbox, statement, uid

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def _assert_agent(authority: dict) -> None:
    assert authority.get("objectType", "Agent") == "Agent"
    assert "member" not in authority
    assert sum(1 for k in IFIS if k in authority) == 1, authority


def test_stored_statements_have_an_authority(lrs):
    # Data 2.4.9.s3.b3: the LRS MUST ensure that all Statements stored have an authority.
    got = lrs.fetch(lrs.store(statement()))
    assert "authority" in got


def test_basic_auth_authority_is_a_single_agent(lrs):
    # Data 2.4.9.s3.b1 / b2: Authority MUST be an Agent (a Group only in 3-legged OAuth); with HTTP
    # Basic the LRS MUST include the user as an Agent as the entire authority.
    _assert_agent(lrs.fetch(lrs.store(statement()))["authority"])


def test_same_credentials_same_authority(lrs):
    # Data 2.4.9.s3.b4: the authority is based on the credentials used to send the Statements.
    first = lrs.fetch(lrs.store(statement()))["authority"]
    second = lrs.fetch(lrs.store(statement()))["authority"]
    assert first == second


def test_different_credentials_different_authority(lrs, make_lrs):
    # Data 2.4.9.s2: the asserting authority represents the authenticating user or system.
    other = make_lrs(["all"], name="other-tool")
    mine = lrs.fetch(lrs.store(statement()))["authority"]
    theirs = lrs.fetch(other.store(statement()))["authority"]
    assert mine != theirs


def test_authority_in_batch_for_every_statement(lrs):
    # Data 2.4.9.s3.b3: every stored Statement has an authority (batch included).
    ids = lrs.store_many([statement(), statement()])
    for stmt_id in ids:
        _assert_agent(lrs.fetch(stmt_id)["authority"])


@pytest.mark.xapi_should
def test_submitted_authority_is_overwritten(lrs):
    # Data 2.4.9.s3.b4: the LRS SHOULD overwrite the authority based on the credentials used.
    reference = lrs.fetch(lrs.store(statement()))["authority"]
    forged = agent_mbox("Forged Authority", "mailto:forged@example.org")
    stmt = statement(id=uid(), authority=forged)
    lrs.store(stmt)
    assert lrs.fetch(stmt["id"])["authority"] == reference


def test_malformed_authority_rejected(lrs):
    # Data 2.2.s4.b1.b4: non-format-following values (mbox without mailto) MUST be rejected.
    lrs.rejects(statement(id=uid(), authority={"objectType": "Agent", "mbox": "forged@example.org"}))
