"""xAPI Communication 2.4 Agents Resource (Person object) and 2.5 Activities Resource."""

from __future__ import annotations

import pytest
from xapi_helpers import activity, activity_id, agent_account, agent_mbox, choice_activity, statement


def test_activity_definition_from_statement(lrs):
    # Communication 2.5.s1: GET activities?activityId loads the complete Activity Object (200 OK).
    act = choice_activity()
    lrs.store(statement(object=act))
    resp = lrs.request("GET", "activities", params={"activityId": act["id"]})
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["id"] == act["id"]
    assert body.get("objectType", "Activity") == "Activity"
    assert body["definition"]["interactionType"] == "choice"
    assert body["definition"]["name"] == act["definition"]["name"]


def test_activity_from_context_activity_known_too(lrs):
    # Communication 2.5.s1 + Data 2.4.4.1.s4.b2: the same Activity id is one Activity wherever it appears.
    parent = activity()
    lrs.store(statement(context={"contextActivities": {"parent": [parent]}}))
    body = lrs.request("GET", "activities", params={"activityId": parent["id"]}).get_json()
    assert body["id"] == parent["id"]
    assert body["definition"]["name"] == parent["definition"]["name"]


@pytest.mark.xapi_should
def test_unknown_activity_still_returns_activity_object(lrs):
    # Communication 2.5.s2.b1: without a canonical definition the LRS SHOULD* still return an Activity Object.
    act_id = activity_id()
    resp = lrs.request("GET", "activities", params={"activityId": act_id})
    assert resp.status_code == 200
    assert resp.get_json()["id"] == act_id


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"activityId": "not an iri"},
        {"activityId": activity_id(), "x": "1"},
        {"activityID": activity_id()},
    ],
    ids=["missing", "not an IRI", "unknown parameter", "wrong case"],
)
def test_activities_bad_parameters(lrs, params):
    # Communication 2.5.s1 table: activityId Required; Data 2.2.s4.b4; Communication 3.2.s3.b7 / b8.
    assert lrs.request("GET", "activities", params=params).status_code == 400


def test_person_for_unknown_agent(lrs):
    # Communication 2.4.s3.b3: with no further information the LRS MUST still return a Person Object with
    # the information of the requested Agent; 2.4.s5: objectType "Person", array-valued properties.
    agent = agent_mbox("Ada Focal")
    resp = lrs.request("GET", "agents", params={"agent": agent})
    assert resp.status_code == 200
    person = resp.get_json()
    assert person["objectType"] == "Person"
    assert person["mbox"] == [agent["mbox"]]
    for key in ("name", "mbox", "mbox_sha1sum", "openid", "account"):
        if key in person:
            assert isinstance(person[key], list)


def test_person_with_account(lrs):
    # Communication 2.4.s5 table: account is an array of complete account Objects; 2.4.s6.b1: members
    # have the same definition as the Agent property.
    agent = agent_account("Opaque")
    lrs.store(statement(actor=agent))
    person = lrs.request("GET", "agents", params={"agent": agent}).get_json()
    assert person["objectType"] == "Person"
    assert agent["account"] in person["account"]


@pytest.mark.xapi_should
def test_person_has_only_person_properties(lrs):
    # Communication 2.4.s6.b2: no other properties (SHOULD* NOT) and each property only once.
    agent = agent_mbox("Ada")
    lrs.store(statement(actor=agent))
    person = lrs.request("GET", "agents", params={"agent": agent}).get_json()
    assert set(person) <= {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"agent": "mailto:ada@example.org"},
        {"agent": {"name": "No IFI"}},
        {"agent": {"mbox": "ada@example.org"}},
        {"agent": agent_mbox(), "extra": "1"},
        {"Agent": agent_mbox()},
    ],
    ids=["missing", "not JSON", "no IFI", "bad mbox", "unknown parameter", "wrong case"],
)
def test_agents_bad_parameters(lrs, params):
    # Communication 2.4.s2 table: agent Required, an Agent object; Data 2.2.s4.b4; 3.2.s3.b7 / b8.
    assert lrs.request("GET", "agents", params=params).status_code == 400
