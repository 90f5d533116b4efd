"""Property tests: whatever JSON arrives, validation either accepts it or refuses it with a 400 that names
a property (never another exception); valid statements survive storage unchanged but for the properties
the LRS may assign (Data 2.3.1)."""

from __future__ import annotations

import copy
import sys
from datetime import UTC
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements_testing import stmt  # noqa: E402

from lms.xapi.compare import statements_match  # noqa: E402
from lms.xapi.errors import XAPIError  # noqa: E402
from lms.xapi.validation import validate_statement  # noqa: E402

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)
KEYS = [
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
    "objectType",
    "mbox",
    "account",
    "member",
    "definition",
    "score",
    "contextActivities",
    "registration",
    "display",
    "extensions",
    "interactionType",
    "choices",
]


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _paths(child, (*prefix, i))


FULL = stmt(
    result={"score": {"scaled": 0.5, "raw": 5, "min": 0, "max": 10}, "success": True, "duration": "PT1S"},
    context={
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "instructor": {"mbox": "mailto:t@e.org"},
        "contextActivities": {"parent": [{"id": "http://e.org/p"}]},
        "extensions": {"http://e.org/x": 1},
    },
    attachments=[
        {
            "usageType": "http://e.org/u",
            "display": {"en": "a"},
            "contentType": "text/plain",
            "length": 1,
            "sha2": "a" * 64,
            "fileUrl": "http://e.org/f",
        }
    ],
)
PATHS = [p for p in _paths(FULL) if p]


@settings(max_examples=400, deadline=None, database=None)
@given(path=st.sampled_from(PATHS), value=json_values | st.sampled_from(KEYS))
def test_any_mutation_is_accepted_or_refused_with_a_400(path, value):
    statement = copy.deepcopy(FULL)
    node = statement
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    try:
        validate_statement(statement)
    except XAPIError as exc:
        assert exc.status == 400
        assert exc.message.startswith(("statement", "JSON"))


@settings(max_examples=200, deadline=None, database=None)
@given(value=json_values)
def test_arbitrary_json_is_accepted_or_refused_with_a_400(value):
    try:
        validate_statement(value)
    except XAPIError as exc:
        assert exc.status == 400


agents = st.one_of(
    st.emails().map(lambda e: {"mbox": "mailto:" + e}),
    st.from_regex(r"\A[0-9a-f]{40}\Z").map(lambda h: {"objectType": "Agent", "mbox_sha1sum": h}),
    st.text(min_size=1, max_size=12).map(
        lambda n: {"account": {"homePage": "http://example.org", "name": n}}
    ),
)
lang_maps = st.dictionaries(
    st.sampled_from(["en", "fr", "es-419", "zh-Hans", "ar"]), st.text(max_size=20), min_size=1, max_size=3
)
statements = st.builds(
    lambda actor, display, name, success, scaled, response, ts: stmt(
        actor=actor,
        verb={"id": "http://adlnet.gov/expapi/verbs/answered", "display": display},
        object={"id": "http://example.org/q", "definition": {"name": name, "interactionType": "fill-in"}},
        result={"success": success, "score": {"scaled": scaled}, "response": response},
        timestamp=ts,
    ),
    agents,
    lang_maps,
    lang_maps,
    st.booleans(),
    st.floats(min_value=-1, max_value=1),
    st.text(max_size=30),
    st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()),
)


@settings(
    max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(statement=statements)
def test_valid_statements_come_back_as_sent(app, statement):
    from lms.db import db
    from lms.xapi.store import get_statement, store_statements

    authority = {"objectType": "Agent", "account": {"homePage": "http://lms.test", "name": "fuzz"}}
    sid = store_statements([statement], authority=authority)[0]
    got = get_statement(sid)
    db.session.rollback()
    assert statements_match(statement, got)
    for key in ("actor", "verb", "object", "result"):
        assert got[key] == statement[key]


@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(PATHS), value=json_values | st.sampled_from(KEYS))
def test_mutated_statements_over_http_get_200_or_400_never_an_error(lrs, path, value):
    from statements_testing import statement_count

    statement = copy.deepcopy(FULL)
    node = statement
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    before = statement_count()
    resp = lrs.post(statement)
    assert resp.status_code in (200, 400), resp.get_data(as_text=True)
    assert statement_count() == before + (1 if resp.status_code == 200 else 0)
