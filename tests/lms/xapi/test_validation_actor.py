"""Actor: Agents, Groups, inverse functional identifiers, accounts (Data 2.4.2)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements_testing import DELETE, assert_invalid, error_message, mutate, statement_count, stmt  # noqa: E402

from lms.xapi.validation import validate_statement  # noqa: E402

MBOX = "mailto:ana@example.org"

BAD_ACTORS = [
    ("no identifier", {"objectType": "Agent", "name": "Ana"}, "statement.actor"),
    ("two identifiers", {"mbox": MBOX, "openid": "http://openid.example.org/ana"}, "found 2"),
    ("mbox without mailto", {"mbox": "ana@example.org"}, "statement.actor.mbox"),
    ("mbox with wrong case scheme", {"mbox": "MAILTO:ana@example.org"}, "statement.actor.mbox"),
    ("empty mbox", {"mbox": ""}, "statement.actor.mbox"),
    ("mbox_sha1sum not hex", {"mbox_sha1sum": "xyz"}, "statement.actor.mbox_sha1sum"),
    ("mbox_sha1sum too short", {"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee"}, "mbox_sha1sum"),
    ("openid without scheme", {"openid": "openid.example.org/ana"}, "statement.actor.openid"),
    ("account without homePage", {"account": {"name": "ana"}}, "statement.actor.account.homePage"),
    ("account without name", {"account": {"homePage": "http://example.org"}}, "statement.actor.account.name"),
    (
        "account homePage not an IRL",
        {"account": {"homePage": "example.org", "name": "a"}},
        "account.homePage",
    ),
    ("account name a number", {"account": {"homePage": "http://example.org", "name": 42}}, "account.name"),
    (
        "account extra key",
        {"account": {"homePage": "http://example.org", "name": "a", "id": 1}},
        "account.id",
    ),
    ("account is a string", {"account": "ana"}, "statement.actor.account"),
    ("objectType wrong case", {"objectType": "agent", "mbox": MBOX}, "statement.actor.objectType"),
    ("objectType unknown", {"objectType": "Person", "mbox": MBOX}, "statement.actor.objectType"),
    ("name a number", {"mbox": MBOX, "name": 7}, "statement.actor.name"),
    ("null name", {"mbox": MBOX, "name": None}, "statement.actor.name"),
    ("unknown property", {"mbox": MBOX, "age": 30}, "statement.actor.age"),
    ("key in wrong case", {"Mbox": MBOX}, "wrong case"),
    ("actor is a string", "ana", "statement.actor"),
    ("actor is a list", [{"mbox": MBOX}], "statement.actor"),
    ("anonymous group without members", {"objectType": "Group", "name": "G"}, "statement.actor.member"),
    ("anonymous group with empty members", {"objectType": "Group", "member": []}, "statement.actor.member"),
    (
        "group with two identifiers",
        {"objectType": "Group", "mbox": "mailto:g@example.org", "openid": "http://g.example.org"},
        "found 2",
    ),
    (
        "group containing a group",
        {"objectType": "Group", "member": [{"objectType": "Group", "mbox": "mailto:g@example.org"}]},
        "statement.actor.member[0].objectType",
    ),
    (
        "group member without identifier",
        {"objectType": "Group", "member": [{"name": "x"}]},
        "statement.actor.member[0]",
    ),
    (
        "group member list not an array",
        {"objectType": "Group", "member": {"mbox": MBOX}},
        "statement.actor.member",
    ),
]


@pytest.mark.parametrize(
    "actor,fragment", [(a, f) for _d, a, f in BAD_ACTORS], ids=[d for d, _a, _f in BAD_ACTORS]
)
def test_bad_actor_is_refused_naming_the_property(actor, fragment):
    assert_invalid(stmt(actor=actor), fragment)


GOOD_ACTORS = [
    {"mbox": MBOX},
    {"objectType": "Agent", "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"},
    {"openid": "http://openid.example.org/ana"},
    {"account": {"homePage": "http://www.example.com", "name": "1625378"}},
    {"account": {"homePage": "http://www.example.com", "name": ""}},
    {"objectType": "Group", "name": "Team", "member": [{"mbox": MBOX}, {"openid": "http://o.example.org/b"}]},
    {"objectType": "Group", "account": {"homePage": "http://example.com", "name": "team"}},
    {"objectType": "Group", "mbox": "mailto:team@example.org", "member": [{"mbox": MBOX}]},
]


@pytest.mark.parametrize("actor", GOOD_ACTORS)
def test_valid_actors_pass(actor):
    validate_statement(stmt(actor=actor))


def test_actor_is_required():
    assert_invalid(mutate(stmt(), "actor", DELETE), "statement.actor: is required")


def test_agent_as_object_needs_object_type():
    assert_invalid(stmt(object={"mbox": MBOX, "name": "x"}), "statement.object")  # read as an Activity
    assert_invalid(stmt(object={"mbox": MBOX, "id": "http://example.org/a"}), "statement.object.mbox")
    validate_statement(stmt(object={"objectType": "Agent", "mbox": MBOX}))
    validate_statement(stmt(object={"objectType": "Group", "member": [{"mbox": MBOX}]}))


def test_bad_actor_over_http_is_400_naming_the_property_and_stores_nothing(lrs):
    resp = lrs.post([stmt(), stmt(actor={"mbox": "ana@example.org"})])
    assert resp.status_code == 400
    assert "statements[1].actor.mbox" in error_message(resp)
    assert statement_count() == 0
