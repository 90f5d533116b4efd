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


def _pair() -> list[dict]:
    return [
        {"account": {"homePage": "http://example.com/xAPI/OAuth/Token", "name": "oauth_consumer_x75db"}},
        agent_mbox("Bob", "mailto:bob@example.com"),
    ]


def test_anonymous_group_of_two_accepted_as_submitted_authority(lrs):
    # Data 2.4.9.s3.b1: a Group authority (3-legged OAuth) is a Group of two Agents, application and user.
    assert (
        lrs.post_statements(statement(authority={"objectType": "Group", "member": _pair()})).status_code
        == 200
    )


@pytest.mark.parametrize("members", [1, 3])
def test_group_authority_of_other_than_two_agents_rejected(lrs, members):
    # Data 2.4.9.s3.b1: a Group authority MUST be two Agents.
    member = (_pair() + [agent_mbox("James", "mailto:james@example.com")])[:members]
    lrs.rejects(statement(id=uid(), authority={"objectType": "Group", "member": member}))


@pytest.mark.parametrize(
    "ifi",
    [
        {"mbox": "mailto:group@example.com"},
        {"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"},
        {"openid": "http://openid.example.org/12345"},
        {"account": {"homePage": "http://www.example.com", "name": "xAPI account name"}},
    ],
    ids=["mbox", "mbox_sha1sum", "openid", "account"],
)
def test_identified_group_authority_rejected(lrs, ifi):
    # Data 2.4.9.s3.b1: the only Group authority is the application and user together (an anonymous pair
    # of Agents); an identified Group is another identity and is refused, with a message naming authority.
    stmt = statement(id=uid(), authority={"objectType": "Group", "name": "Team", **ifi, "member": _pair()})
    resp = lrs.post_statements(stmt)
    assert resp.status_code == 400 and "authority" in resp.get_json()["message"]
    assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404
