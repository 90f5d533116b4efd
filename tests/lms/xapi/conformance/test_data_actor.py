"""xAPI Data 2.4.2 Actor: Agents, Groups, Inverse Functional Identifiers, Account objects."""

from __future__ import annotations

import pytest
from xapi_helpers import (
    DELETE,
    agent_account,
    agent_mbox,
    agent_openid,
    agent_sha1,
    assert_same_statement,
    group_anonymous,
    group_identified,
    mutate,
    statement,
    uid,
)


def base():
    return statement(id=uid(), actor=agent_mbox("Ada Focal", "mailto:ada@example.org"))


VALID_ACTORS = {
    "agent mbox": lambda: agent_mbox(),
    "agent mbox_sha1sum": agent_sha1,
    "agent openid": agent_openid,
    "agent account": lambda: agent_account(),
    "agent without objectType": lambda: {"mbox": "mailto:no-type@example.org"},
    "agent with non-ASCII name": lambda: agent_mbox("عائشة 李 Éloïse"),
    "anonymous group": lambda: group_anonymous(),
    "identified group, no members": lambda: group_identified(),
    "identified group with members": lambda: group_identified(agent_mbox("A"), agent_openid()),
    "identified group by account": lambda: {
        "objectType": "Group",
        "account": {"homePage": "http://lms.example.org", "name": "t1"},
    },
}


@pytest.mark.parametrize("kind", list(VALID_ACTORS))
def test_valid_actor_accepted_and_returned_unchanged(lrs, kind):
    # Data 2.4.2.1 / 2.4.2.2 / 2.4.2.3: each IFI type and both Group kinds are valid actors.
    # Data 2.2.s4.b5: the LRS MUST NOT return a different serialisation (Group member order excepted).
    stmt = statement(id=uid(), actor=VALID_ACTORS[kind]())
    lrs.store(stmt)
    assert_same_statement(stmt, lrs.fetch(stmt["id"]))


MALFORMED = [
    # (description, path, value) applied to base(); each MUST be rejected with 400.
    # Data 2.4.2.1.s2.b1: an Agent MUST be identified by one of the four IFIs.
    ("agent without IFI", "actor", {"objectType": "Agent", "name": "Nobody"}),
    # Data 2.4.2.1.s2.b2: an Agent MUST NOT include more than one IFI.
    ("agent with mbox and openid", "actor.openid", "http://openid.example.org/ada"),
    ("agent with mbox and account", "actor.account", {"homePage": "http://a.example.org", "name": "a"}),
    # Data 2.4.2.3 mbox: "mailto IRI", required format "mailto:email address"; 2.2.s4.b1.b4.
    ("mbox without mailto scheme", "actor.mbox", "ada@example.org"),
    ("mbox with http scheme", "actor.mbox", "http://example.org/ada"),
    ("mbox empty string", "actor.mbox", ""),
    ("mbox not a string", "actor.mbox", ["mailto:ada@example.org"]),
    # Data 2.4.2.3 mbox_sha1sum: hex-encoded SHA1 (40 hex digits); 2.2.s4.b1.b4.
    ("mbox_sha1sum not hex", "actor", {"mbox_sha1sum": "not-a-sha1-hash"}),
    ("mbox_sha1sum a number", "actor", {"mbox_sha1sum": 1234567890}),
    # Data 2.4.2.3 openid: URI; 2.2.s4.b1.b8 IRIs without a scheme are rejected.
    ("openid without scheme", "actor", {"openid": "openid.example.org/ada"}),
    # Data 2.4.2.4: account homePage (IRL) and name are Required.
    ("account without homePage", "actor", {"account": {"name": "123"}}),
    ("account without name", "actor", {"account": {"homePage": "http://lms.example.org"}}),
    ("account homePage without scheme", "actor", {"account": {"homePage": "lms.example.org", "name": "1"}}),
    ("account name not a string", "actor", {"account": {"homePage": "http://lms.example.org", "name": 1}}),
    (
        "account with extra key",
        "actor",
        {"account": {"homePage": "http://lms.example.org", "name": "1", "password": "x"}},
    ),
    ("account is a string", "actor", {"account": "http://lms.example.org|1"}),
    # Data 2.2.s4.b1.b1: no null values.
    ("actor name null", "actor.name", None),
    ("actor null", "actor", None),
    ("mbox null", "actor.mbox", None),
    # Data 2.4.2.1 table: objectType is "Agent"; 2.2.s4.b1.b6 enumerated values are case-exact.
    ("objectType Person", "actor.objectType", "Person"),
    ("objectType lowercase agent", "actor.objectType", "agent"),
    ("objectType Activity", "actor.objectType", "Activity"),
    # Data 2.4.2.1 table: name is a String.
    ("name a number", "actor.name", 42),
    # Data 2.2.s4.b1.b7 / b5: keys not allowed, or in the wrong case.
    ("agent with extra property", "actor.firstName", "Ada"),
    ("agent with member property", "actor.member", [{"mbox": "mailto:m@example.org"}]),
    ("key in wrong case (Mbox)", "actor", {"objectType": "Agent", "Mbox": "mailto:ada@example.org"}),
    ("actor is a string", "actor", "mailto:ada@example.org"),
    ("actor is an array", "actor", [{"mbox": "mailto:ada@example.org"}]),
    # Data 2.2.s2.b3: a Statement MUST use "actor".
    ("actor missing", "actor", DELETE),
    # Data 2.4.2.2.s4.b1: an Anonymous Group MUST include "member".
    ("anonymous group without member", "actor", {"objectType": "Group", "name": "No members"}),
    (
        "group member not an array",
        "actor",
        {"objectType": "Group", "member": {"mbox": "mailto:m@example.org"}},
    ),
    # Data 2.4.2.2.s4.b2 / s5.b2: Groups MUST NOT contain Group objects in "member".
    (
        "anonymous group containing a group",
        "actor",
        {"objectType": "Group", "member": [{"objectType": "Group", "mbox": "mailto:g@example.org"}]},
    ),
    (
        "identified group containing a group",
        "actor",
        {
            "objectType": "Group",
            "mbox": "mailto:team@example.org",
            "member": [{"objectType": "Group", "member": [{"mbox": "mailto:m@example.org"}]}],
        },
    ),
    # Data 2.4.2.2.s5.b1: an Identified Group MUST include exactly one IFI.
    (
        "identified group with two IFIs",
        "actor",
        {"objectType": "Group", "mbox": "mailto:team@example.org", "openid": "http://openid.example.org/t"},
    ),
    # Members are Agents and MUST be valid Agents (2.4.2.2 tables: Array of Agent Objects).
    ("group member without IFI", "actor", {"objectType": "Group", "member": [{"name": "No IFI"}]}),
    ("group member with bad mbox", "actor", {"objectType": "Group", "member": [{"mbox": "m@example.org"}]}),
    (
        "group objectType lowercase",
        "actor",
        {"objectType": "group", "member": [{"mbox": "mailto:m@example.org"}]},
    ),
    # Without objectType the actor is an Agent, for which "member" is not allowed and an IFI is required.
    ("group without objectType", "actor", {"member": [{"mbox": "mailto:m@example.org"}]}),
]


@pytest.mark.parametrize("path,value", [(p, v) for _d, p, v in MALFORMED], ids=[d for d, _p, _v in MALFORMED])
def test_malformed_actor_rejected(lrs, path, value):
    lrs.rejects(mutate(base(), path, value))


def test_group_members_may_come_back_in_any_order_but_complete(lrs):
    # Data 2.4.2.2.s3.b4: the LRS MAY return Group members in any order (but all of them: 2.2.s4.b5).
    members = [agent_mbox(f"Member {i}") for i in range(5)]
    stmt = statement(id=uid(), actor=group_anonymous(*members))
    lrs.store(stmt)
    got = lrs.fetch(stmt["id"])["actor"]["member"]
    key = lambda m: m["mbox"]  # noqa: E731
    assert sorted(got, key=key) == sorted(members, key=key)
