"""xAPI Communication 2.1.3 GET Statements: single statements, StatementResult, ordering, limit and
"more" (Data 2.5), formats, consistent-through, parameter validation. Filters: see
test_comm_statements_get_filters.py."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from xapi_helpers import (
    activity_id,
    agent_mbox,
    choice_activity,
    group_anonymous,
    parse_ts,
    statement,
    uid,
)

CT = "X-Experience-API-Consistent-Through"


def _store_spaced(lrs, n: int) -> list[str]:
    ids = []
    for _ in range(n):
        ids.append(lrs.store(statement()))
        time.sleep(0.02)
    return ids


def test_single_statement_returned_as_statement(lrs):
    # Communication 2.1.3: with statementId a single Statement is returned (200 OK).
    stmt_id = lrs.store(statement())
    resp = lrs.get_statements({"statementId": stmt_id})
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    body = resp.get_json()
    assert body["id"] == stmt_id and "statements" not in body


def test_unknown_statement_404(lrs):
    # Communication 3.2.s2.b4: 404 Not Found for the method retrieving a single Statement.
    assert lrs.get_statements({"statementId": uid()}).status_code == 404


def test_statement_id_and_voided_statement_id_together_rejected(lrs):
    # Communication 2.1.3.s2.b1: MUST reject with 400 requests with both statementId and voidedStatementId.
    stmt_id = lrs.store(statement())
    assert lrs.get_statements({"statementId": stmt_id, "voidedStatementId": stmt_id}).status_code == 400


@pytest.mark.parametrize(
    "extra",
    [
        {"limit": 1},
        {"verb": "http://adlnet.gov/expapi/verbs/experienced"},
        {"ascending": "true"},
        {"since": "2020-01-01T00:00:00Z"},
        {"agent": {"mbox": "mailto:a@example.org"}},
        {"related_agents": "false"},
    ],
)
@pytest.mark.parametrize("key", ["statementId", "voidedStatementId"])
def test_single_statement_with_other_parameters_rejected(lrs, key, extra):
    # Communication 2.1.3.s2.b2: MUST reject with 400 requests with statementId or voidedStatementId and any
    # other parameter besides "attachments" or "format".
    assert lrs.get_statements({key: lrs.store(statement()), **extra}).status_code == 400


@pytest.mark.parametrize(
    "extra",
    [
        {"format": "ids"},
        {"format": "canonical"},
        {"attachments": "false"},
        {"format": "exact", "attachments": "false"},
    ],
)
def test_single_statement_with_format_or_attachments_allowed(lrs, extra):
    # Communication 2.1.3.s2.b2: "attachments" and "format" are allowed with statementId.
    stmt_id = lrs.store(statement())
    assert lrs.get_statements({"statementId": stmt_id, **extra}).status_code == 200


def test_no_match_returns_empty_statement_result(lrs):
    # Communication 2.1.3.s2.b4: no match -> MUST still return 200 OK and a StatementResult with an
    # empty "statements" array.
    lrs.store(statement())
    resp = lrs.get_statements({"verb": "http://lms.example.org/verbs/never-used"})
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["statements"] == []
    assert body.get("more", "") == ""


def test_default_order_is_most_recent_stored_first(lrs):
    # Communication 2.1.3: a list of Statements in reverse chronological order based on "stored".
    ids = _store_spaced(lrs, 3)
    got = lrs.get_statements().get_json()["statements"]
    assert [s["id"] for s in got] == ids[::-1]
    stored = [parse_ts(s["stored"]) for s in got]
    assert stored == sorted(stored, reverse=True)


def test_ascending_order(lrs):
    # Communication 2.1.3 table: ascending=true returns results in ascending order of stored time.
    ids = _store_spaced(lrs, 3)
    got = lrs.get_statements({"ascending": "true"}).get_json()["statements"]
    assert [s["id"] for s in got] == ids


def test_limit_and_more_pages_through_everything(lrs):
    # Communication 2.1.3 table: limit = maximum number of Statements to return; Data 2.5: "more" is a
    # relative IRL (path and optional query, no scheme/host/port) to fetch the rest; "" when no more.
    ids = _store_spaced(lrs, 5)
    resp = lrs.get_statements({"limit": 2})
    body = resp.get_json()
    assert len(body["statements"]) == 2
    more = body["more"]
    assert more.startswith("/") and "://" not in more and not more.startswith("//")
    seen = [s["id"] for s in body["statements"]]
    pages = 1
    while body.get("more"):
        resp = lrs.request("GET", body["more"])
        assert resp.status_code == 200
        assert CT in resp.headers
        body = resp.get_json()
        assert len(body["statements"]) <= 2
        seen.extend(s["id"] for s in body["statements"])
        pages += 1
        assert pages < 10
    assert seen == ids[::-1]
    assert body.get("more", "") == ""


def test_more_keeps_filters(lrs):
    # Data 2.5: "more" fetches more results *of the same query*.
    verb_id = f"http://lms.example.org/verbs/{uid()}"
    wanted = []
    for i in range(4):
        wanted.append(lrs.store(statement(verb={"id": verb_id})))
        lrs.store(statement())
        time.sleep(0.01 * i)
    got = lrs.fetch_all({"verb": verb_id, "limit": 1, "ascending": "true"})
    assert [s["id"] for s in got] == wanted


def test_limit_zero_means_server_maximum(lrs):
    # Communication 2.1.3 table: 0 indicates return the maximum the server will allow.
    ids = _store_spaced(lrs, 3)
    got = lrs.get_statements({"limit": 0}).get_json()["statements"]
    assert {s["id"] for s in got} == set(ids)


def test_consistent_through_on_every_statement_response(lrs):
    # Communication 2.1.3.s2.b5: the header MUST be on all responses to Statement Resource requests, in
    # ISO 8601 combined date and time format; expected to be recent.
    stmt_id = lrs.store(statement())
    for resp in (
        lrs.get_statements(),
        lrs.get_statements({"statementId": stmt_id}),
        lrs.get_statements({"statementId": uid()}),
    ):
        value = resp.headers.get(CT)
        assert value, resp.status_code
        when = parse_ts(value)
        assert abs(datetime.now(UTC) - when) < timedelta(days=1)


@pytest.mark.xapi_should
def test_last_modified_matches_stored(lrs):
    # Communication 2.1.3.s2.b8: the LRS SHOULD* include a "Last-Modified" header matching "stored".
    from email.utils import parsedate_to_datetime

    stmt_id = lrs.store(statement())
    resp = lrs.get_statements({"statementId": stmt_id})
    stored = parse_ts(resp.get_json()["stored"])
    last_modified = parsedate_to_datetime(resp.headers["Last-Modified"])
    assert abs((last_modified - stored).total_seconds()) < 1


def test_format_exact_is_the_default_and_keeps_everything(lrs):
    # Communication 2.1.3 table: format defaults to "exact" (objects exactly as received).
    stmt = statement(id=uid(), object=choice_activity())
    lrs.store(stmt)
    assert lrs.fetch(stmt["id"])["object"] == stmt["object"]
    assert lrs.fetch(stmt["id"], format="exact")["object"] == stmt["object"]


def test_format_ids_minimal_objects(lrs):
    # Communication 2.1.3 table: "ids" includes only the minimum information necessary in Agent, Activity,
    # Verb and Group objects to identify them (for Anonymous Groups, each member's identifier).
    members = [agent_mbox("Member A"), agent_mbox("Member B")]
    stmt = statement(
        id=uid(),
        actor=group_anonymous(*members, name="Team"),
        object=choice_activity(),
        context={"instructor": agent_mbox("Named Instructor")},
    )
    lrs.store(stmt)
    got = lrs.fetch(stmt["id"], format="ids")
    assert got["object"]["id"] == stmt["object"]["id"] and "definition" not in got["object"]
    assert sorted(m.get("mbox") for m in got["actor"]["member"]) == sorted(m["mbox"] for m in members)
    assert all("name" not in m for m in got["actor"]["member"])
    assert "name" not in got["context"]["instructor"]
    assert got["context"]["instructor"]["mbox"] == stmt["context"]["instructor"]["mbox"]


def test_format_ids_activities_are_their_id_alone(lrs):
    # Communication 2.1.3 table: with "ids" an Activity is reduced to the minimum that identifies it, its
    # id (objectType is optional and defaults to Activity, Data 2.4.4.s2), in the object, in a SubStatement
    # and in contextActivities; a Group keeps objectType and its identifier.
    sub_activity, parent = activity_id(), activity_id()
    group = {"objectType": "Group", "name": "Team", "mbox": f"mailto:team-{uid()}@example.org"}
    sub = {
        "objectType": "SubStatement",
        "actor": group,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
        "object": {"objectType": "Activity", "id": sub_activity, "definition": {"name": {"en": "Meeting"}}},
    }
    stmt = statement(id=uid(), object=sub, context={"contextActivities": {"parent": {"id": parent}}})
    lrs.store(stmt)
    got = lrs.fetch(stmt["id"], format="ids")
    assert got["object"]["object"] == {"id": sub_activity}
    assert got["object"]["actor"] == {"objectType": "Group", "mbox": group["mbox"]}
    assert got["context"]["contextActivities"] == {"parent": [{"id": parent}]}
    plain = statement(id=uid(), object=choice_activity())
    lrs.store(plain)
    assert lrs.fetch(plain["id"], format="ids")["object"] == {"id": plain["object"]["id"]}


def test_format_ids_in_statement_result(lrs):
    # Same, for a StatementResult.
    stmt = statement(id=uid(), actor=agent_mbox("Visible Name"))
    lrs.store(stmt)
    got = lrs.get_statements({"format": "ids"}).get_json()["statements"][0]
    assert got["actor"]["mbox"] == stmt["actor"]["mbox"] and "name" not in got["actor"]
    assert "definition" not in got["object"]


def _single_language(langmap: dict) -> str:
    assert isinstance(langmap, dict) and len(langmap) == 1, langmap
    return next(iter(langmap))


@pytest.mark.parametrize(
    "accept,lang",
    [("fr", "fr"), ("fr-CA, fr;q=0.9, en;q=0.5", "fr"), ("en-US", "en-US"), ("de, en-US;q=0.3", "en-US")],
)
def test_format_canonical_one_language_chosen_by_accept_language(lrs, accept, lang):
    # Communication 2.1.3.s4.b1: in canonical format, Activity "name", "description" and interaction
    # components' maps MUST contain only one language; 2.1.3.s4.b5: the LRS MUST apply Accept-Language
    # (RFC 2616) to each language map individually.
    stmt = statement(id=uid(), object=choice_activity())
    lrs.store(stmt)
    resp = lrs.get_statements(
        {"statementId": stmt["id"], "format": "canonical"}, headers={"Accept-Language": accept}
    )
    definition = resp.get_json()["object"]["definition"]
    assert _single_language(definition["name"]) == lang
    assert definition["name"][lang] == stmt["object"]["definition"]["name"][lang]
    assert _single_language(definition["description"]) == "en-US"  # the only language available
    for choice in definition["choices"]:
        assert _single_language(choice["description"]) == lang


def test_format_canonical_without_accept_language_still_one_language(lrs):
    # Communication 2.1.3.s4.b1 (MUST return only one language in each map).
    stmt = statement(id=uid(), object=choice_activity())
    lrs.store(stmt)
    got = lrs.get_statements({"format": "canonical"}).get_json()["statements"][0]
    _single_language(got["object"]["definition"]["name"])


def test_format_canonical_keeps_agents_as_received(lrs):
    # Communication 2.1.3 table: canonical returns the original Agent and Group Objects as in "exact".
    stmt = statement(id=uid(), actor=group_anonymous())
    lrs.store(stmt)
    got = lrs.fetch(stmt["id"], format="canonical")["actor"]

    def key(member):
        return json.dumps(member, sort_keys=True)

    assert sorted(got["member"], key=key) == sorted(stmt["actor"]["member"], key=key)
    assert got["name"] == stmt["actor"]["name"]


BAD_PARAMS = [
    # Data 2.2.s4.b4: the LRS MUST validate parameter values like values of the same types in Statements.
    ("agent not JSON", {"agent": "mailto:ada@example.org"}),
    ("agent without IFI", {"agent": {"name": "Ada"}}),
    ("agent with bad mbox", {"agent": {"mbox": "ada@example.org"}}),
    ("agent with two IFIs", {"agent": {"mbox": "mailto:a@example.org", "openid": "http://o.example.org/a"}}),
    (
        "agent an anonymous group",
        {"agent": {"objectType": "Group", "member": [{"mbox": "mailto:m@example.org"}]}},
    ),
    ("verb not an IRI", {"verb": "experienced"}),
    ("activity not an IRI", {"activity": "module-1"}),
    ("registration not a UUID", {"registration": "enrolment-1"}),
    ("since not a timestamp", {"since": "yesterday"}),
    ("until not a timestamp", {"until": "2024-13-01T00:00:00Z"}),
    ("limit negative", {"limit": -1}),
    ("limit not a number", {"limit": "ten"}),
    ("limit a decimal", {"limit": "1.5"}),
    ("format unknown", {"format": "full"}),
    ("format wrong case", {"format": "IDS"}),
    ("ascending not a boolean", {"ascending": "yes"}),
    ("attachments not a boolean", {"attachments": "1"}),
    ("related_agents not a boolean", {"related_agents": "maybe"}),
    ("related_activities not a boolean", {"related_activities": "TRUE"}),
    ("statementId not a UUID", {"statementId": "abc"}),
    ("voidedStatementId not a UUID", {"voidedStatementId": "abc"}),
]


@pytest.mark.parametrize("params", [p for _d, p in BAD_PARAMS], ids=[d for d, _p in BAD_PARAMS])
def test_malformed_query_parameters_rejected(lrs, params):
    lrs.store(statement())
    resp = lrs.get_statements(params)
    assert resp.status_code == 400, resp.get_data(as_text=True)[:200]


def test_attachments_true_without_attachments_still_multipart(lrs):
    # Communication 2.1.3.s2.b6: with attachments=true the LRS MUST use the multipart response format
    # (the first part being the JSON), even when there are no attachments.
    from xapi_helpers import parse_multipart

    stmt_id = lrs.store(statement())
    resp = lrs.get_statements({"statementId": stmt_id, "attachments": "true"})
    assert resp.status_code == 200 and resp.mimetype == "multipart/mixed"
    parts = parse_multipart(resp.headers["Content-Type"], resp.get_data())
    assert json.loads(parts[0][1])["id"] == stmt_id
