"""GET statements (Communication 2.1.3): single statements, filters, paging with ``more``, formats,
headers."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements_testing import ACTIVITY, agent, error_message, new_id, stmt  # noqa: E402

from lms.xapi.formats import parse_timestamp  # noqa: E402

OTHER = "http://example.org/activities/other"
VERB2 = "http://adlnet.gov/expapi/verbs/attempted"


def ids_of(resp):
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return [s["id"] for s in resp.get_json()["statements"]]


def test_empty_result_is_200_with_empty_array(lrs):
    resp = lrs.get()
    assert resp.status_code == 200
    assert resp.get_json() == {"statements": [], "more": ""}
    assert parse_timestamp(resp.headers["X-Experience-API-Consistent-Through"]) is not None


def test_unknown_statement_is_404(lrs):
    resp = lrs.get({"statementId": new_id()})
    assert resp.status_code == 404
    assert resp.headers["X-Experience-API-Version"] == "1.0.3"


def test_single_statement_headers(lrs):
    sid = lrs.store(stmt())[0]
    resp = lrs.get({"statementId": sid})
    assert resp.mimetype == "application/json"
    assert resp.headers["Last-Modified"]
    assert resp.headers["X-Experience-API-Consistent-Through"]
    assert resp.headers["X-Experience-API-Version"] == "1.0.3"


def test_single_statement_parameters_are_checked(lrs):
    sid = lrs.store(stmt())[0]
    both = lrs.get({"statementId": sid, "voidedStatementId": sid})
    assert both.status_code == 400
    extra = lrs.get({"statementId": sid, "verb": VERB2})
    assert extra.status_code == 400 and "verb" in error_message(extra)
    assert lrs.get({"statementId": sid, "format": "ids", "attachments": "false"}).status_code == 200
    assert lrs.get({"statementId": "nope"}).status_code == 400


def test_newest_first_and_ascending(lrs):
    first = lrs.store(stmt())[0]
    second = lrs.store(stmt())[0]
    assert ids_of(lrs.get()) == [second, first]
    assert ids_of(lrs.get({"ascending": "true"})) == [first, second]


def test_filters(lrs):
    reg = new_id()
    a = lrs.store(stmt(actor=agent("a@example.org")))[0]
    b = lrs.store(stmt(actor=agent("b@example.org"), verb={"id": VERB2}))[0]
    c = lrs.store(
        stmt(
            object={"id": OTHER},
            context={"registration": reg, "contextActivities": {"parent": [{"id": ACTIVITY}]}},
        )
    )[0]
    d = lrs.store(stmt(object={"objectType": "Agent", "mbox": "mailto:a@example.org"}))[0]
    assert set(ids_of(lrs.get({"agent": agent("a@example.org")}))) == {a, d}
    assert set(ids_of(lrs.get({"agent": {"mbox": "mailto:a@EXAMPLE.org"}}))) == {a, d}  # domain case
    assert ids_of(lrs.get({"verb": VERB2})) == [b]
    assert set(ids_of(lrs.get({"activity": ACTIVITY}))) == {a, b}
    assert set(ids_of(lrs.get({"activity": ACTIVITY, "related_activities": "true"}))) == {a, b, c}
    assert ids_of(lrs.get({"registration": reg.upper()})) == [c]
    assert ids_of(lrs.get({"agent": agent("a@example.org"), "verb": VERB2})) == []


def test_related_agents(lrs):
    teacher = agent("teacher@example.org")
    s1 = lrs.store(stmt(context={"instructor": teacher}))[0]
    team = {"objectType": "Group", "name": "T", "member": [teacher]}
    s2 = lrs.store(stmt(actor=agent("x@example.org"), context={"team": team}))[0]
    assert ids_of(lrs.get({"agent": teacher})) == []
    assert set(ids_of(lrs.get({"agent": teacher, "related_agents": "true"}))) == {s1, s2}
    authority = {"objectType": "Agent", "account": {"homePage": "http://lms.test", "name": lrs.key}}
    assert set(ids_of(lrs.get({"agent": authority, "related_agents": "true"}))) == {s1, s2}


def test_group_actor_matches_its_members(lrs):
    group = {"objectType": "Group", "member": [agent("m1@example.org"), agent("m2@example.org")]}
    sid = lrs.store(stmt(actor=group))[0]
    assert ids_of(lrs.get({"agent": agent("m2@example.org")})) == [sid]


def test_substatement_agents_and_activities_are_related(lrs):
    sub = {
        "objectType": "SubStatement",
        "actor": agent("sub@example.org"),
        "verb": {"id": VERB2},
        "object": {"id": OTHER},
    }
    sid = lrs.store(stmt(object=sub))[0]
    assert ids_of(lrs.get({"agent": agent("sub@example.org")})) == []
    assert ids_of(lrs.get({"agent": agent("sub@example.org"), "related_agents": "true"})) == [sid]
    assert ids_of(lrs.get({"activity": OTHER})) == []
    assert ids_of(lrs.get({"activity": OTHER, "related_activities": "true"})) == [sid]


def test_since_and_until_use_stored_time(lrs):
    first = lrs.store(stmt())[0]
    stored = lrs.get({"statementId": first}).get_json()["stored"]
    time.sleep(0.01)
    second = lrs.store(stmt())[0]
    assert ids_of(lrs.get({"since": stored})) == [second]  # exclusive
    assert ids_of(lrs.get({"until": stored})) == [first]  # inclusive
    assert lrs.get({"since": "yesterday"}).status_code == 400


def test_more_pages_through_everything_even_when_statements_arrive(lrs):
    stored = [lrs.store(stmt())[0] for _ in range(5)]
    resp = lrs.get({"limit": 2})
    page = resp.get_json()
    assert len(page["statements"]) == 2 and page["more"]
    more = page["more"]
    assert more.startswith("/xapi/statements?") and "://" not in more
    lrs.store(stmt())  # a newer statement must not shift the next pages
    seen = [s["id"] for s in page["statements"]]
    while more:
        parts = urlsplit(more)
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        page = lrs.get(params, path=parts.path).get_json()
        seen += [s["id"] for s in page["statements"]]
        more = page["more"]
    assert seen == list(reversed(stored))


def test_more_keeps_the_filters(lrs):
    mine = [lrs.store(stmt(verb={"id": VERB2}))[0] for _ in range(3)]
    lrs.store(stmt())
    page = lrs.get({"verb": VERB2, "limit": 1, "ascending": "true"}).get_json()
    got = [s["id"] for s in page["statements"]]
    while page["more"]:
        parts = urlsplit(page["more"])
        page = lrs.get({k: v[0] for k, v in parse_qs(parts.query).items()}, path=parts.path).get_json()
        got += [s["id"] for s in page["statements"]]
    assert got == mine


def test_tampered_cursor_is_refused(lrs):
    assert lrs.get({"cursor": "abc"}).status_code == 400


def test_limit_and_bad_parameters(lrs):
    for _ in range(3):
        lrs.store(stmt())
    assert len(ids_of(lrs.get({"limit": 2}))) == 2
    assert len(ids_of(lrs.get({"limit": 0}))) == 3
    for bad in (
        {"limit": "-1"},
        {"limit": "x"},
        {"format": "full"},
        {"ascending": "yes"},
        {"related_agents": "True"},
        {"agent": "not json"},
        {"agent": {"name": "no ifi"}},
        {"verb": "no scheme"},
        {"registration": "123"},
        {"Verb": VERB2},
        {"unknown": "1"},
    ):
        resp = lrs.get(bad)
        assert resp.status_code == 400, bad
        assert error_message(resp), bad


def test_format_ids_and_canonical(lrs):
    s = stmt(
        verb={"id": VERB2, "display": {"en-US": "attempted", "fr": "a tenté"}},
        object={
            "objectType": "Activity",
            "id": ACTIVITY,
            "definition": {"name": {"en": "Course", "fr": "Cours"}, "description": {"en": "D", "fr": "D fr"}},
        },
        context={"instructor": {"objectType": "Agent", "name": "T", "mbox": "mailto:t@example.org"}},
    )
    sid = lrs.store(s)[0]
    ids = lrs.get({"statementId": sid, "format": "ids"}).get_json()
    assert ids["actor"] == {"objectType": "Agent", "mbox": "mailto:ana@example.org"}
    assert ids["verb"] == {"id": VERB2}
    assert ids["object"] == {"id": ACTIVITY}
    assert ids["context"]["instructor"] == {"objectType": "Agent", "mbox": "mailto:t@example.org"}
    canonical = lrs.get(
        {"statementId": sid, "format": "canonical"}, headers={"Accept-Language": "fr;q=0.9, en;q=0.5"}
    )
    data = canonical.get_json()
    assert data["verb"]["display"] == {"fr": "a tenté"}
    assert data["object"]["definition"]["name"] == {"fr": "Cours"}
    assert data["actor"]["name"] == "Ana"  # agents as in exact
    exact = lrs.get({"statementId": sid}).get_json()
    assert exact["verb"]["display"] == {"en-US": "attempted", "fr": "a tenté"}
    listed = lrs.get({"format": "canonical"}, headers={"Accept-Language": "en"}).get_json()["statements"][0]
    assert listed["verb"]["display"] == {"en-US": "attempted"}


def test_canonical_format_picks_one_language_for_a_sub_statements_verb_too(lrs):
    # Communication 2.1.3 (format=canonical): the Display of the Verbs, the sub-statement's included.
    sub = {
        "objectType": "SubStatement",
        "actor": {"objectType": "Agent", "mbox": "mailto:sub@example.org"},
        "verb": {"id": VERB2, "display": {"en-GB": "attended", "fr": "a assisté", "ru-RU": "участие"}},
        "object": {
            "objectType": "Activity",
            "id": ACTIVITY,
            "definition": {"name": {"en-GB": "A", "fr": "B"}},
        },
    }
    sid = lrs.store(stmt(object=sub))[0]
    data = lrs.get(
        {"statementId": sid, "format": "canonical"}, headers={"Accept-Language": "en-GB"}
    ).get_json()
    assert data["object"]["verb"]["display"] == {"en-GB": "attended"}
    assert data["object"]["object"]["definition"]["name"] == {"en-GB": "A"}
    exact = lrs.get({"statementId": sid}).get_json()
    assert exact["object"]["verb"]["display"] == sub["verb"]["display"]


def test_head_returns_headers_only(lrs):
    sid = lrs.store(stmt())[0]
    resp = lrs.head({"statementId": sid})
    assert resp.status_code == 200
    assert resp.data == b""
    assert resp.headers["X-Experience-API-Version"] == "1.0.3"
    assert lrs.head({"statementId": new_id()}).status_code == 404


@pytest.mark.parametrize("ascending", ["true", "false"])
def test_statements_with_the_same_stored_time_page_without_loss(lrs, ascending):
    ids = lrs.store(*[stmt() for _ in range(7)])  # one batch: one stored time
    got, page = [], lrs.get({"limit": 3, "ascending": ascending}).get_json()
    got += [s["id"] for s in page["statements"]]
    while page["more"]:
        parts = urlsplit(page["more"])
        page = lrs.get({k: v[0] for k, v in parse_qs(parts.query).items()}, path=parts.path).get_json()
        got += [s["id"] for s in page["statements"]]
    assert sorted(got) == sorted(ids) and len(got) == 7


def test_store_and_query_functions_work_outside_a_request(app):
    """Analytics and the CLI call the store directly (app context only)."""
    from lms.db import db
    from lms.xapi.store import get_statement, query_statements, store_statements

    authority = {"objectType": "Agent", "account": {"homePage": "http://lms.test", "name": "platform"}}
    ids = store_statements([stmt(), stmt(), stmt()], authority=authority)
    db.session.commit()
    found, more = query_statements({"limit": "2", "ascending": "true"})
    assert [s["id"] for s in found] == ids[:2]
    assert more.startswith("/xapi/statements?cursor=")
    rest, more2 = query_statements({"cursor": parse_qs(urlsplit(more).query)["cursor"][0]})
    assert [s["id"] for s in rest] == ids[2:] and more2 == ""
    assert get_statement(ids[0])["authority"] == authority
    assert get_statement(ids[0], voided=True) is None


@pytest.mark.parametrize(
    "header,expected",
    [
        ("fr", {"fr": "Cours"}),
        ("fr-CH, en;q=0.5", {"fr": "Cours"}),  # lenient: fr-CH asked, fr given
        ("es;q=0.9, zh;q=0.8", {"zh-Hans": "课程"}),  # zh matches zh-Hans
        ("de", {"en-US": "Course"}),  # nothing fits: English
        ("*", {"en-US": "Course"}),
        ("en;q=0, fr;q=0.1", {"fr": "Cours"}),  # q=0 means not acceptable
        (None, {"en-US": "Course"}),
    ],
)
def test_language_choice_for_canonical_format(header, expected):
    from lms.xapi.presentation import parse_accept_language, pick_language

    langmap = {"en-US": "Course", "fr": "Cours", "zh-Hans": "课程"}
    assert pick_language(langmap, parse_accept_language(header)) == expected
