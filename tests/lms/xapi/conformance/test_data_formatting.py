"""xAPI Data 2.2 Formatting Requirements that concern the Statement as a whole (the per-property rules
are in the other test_data_* modules)."""

from __future__ import annotations

import pytest
from xapi_helpers import DELETE, assert_same_statement, full_statement, mutate, statement, uid


@pytest.mark.parametrize("key", ["actor", "verb", "object"])
def test_actor_verb_object_required(lrs, key):
    # Data 2.2.s2.b3: a Statement MUST use "actor", "verb" and "object".
    lrs.rejects(mutate(statement(id=uid()), key, DELETE))


def test_properties_in_any_order(lrs):
    # Data 2.2.s2.b4: a Statement MAY use its properties in any order.
    stmt = full_statement()
    reordered = {k: stmt[k] for k in reversed(list(stmt))}
    lrs.store(reordered)
    assert_same_statement(stmt, lrs.fetch(stmt["id"]))


@pytest.mark.parametrize(
    "key,value",
    [
        ("inProgress", False),
        ("voided", False),
        ("extensions", {"http://lms.example.org/x": 1}),
        ("Context", {"registration": "6ba7b810-9dad-11d1-80b4-00c04fd430c8"}),
        ("comment", "x"),
    ],
    ids=["0.9 inProgress", "0.95 voided", "top-level extensions", "Context wrong case", "comment"],
)
def test_keys_not_allowed_rejected(lrs, key, value):
    # Data 2.2.s4.b1.b7: the LRS MUST reject Statements where a key is not allowed by the specification
    # (b5: or whose case does not match).
    lrs.rejects(dict(statement(id=uid()), **{key: value}))


@pytest.mark.parametrize(
    "key", ["result", "context", "timestamp", "attachments", "authority", "version", "stored", "id"]
)
def test_null_top_level_values_rejected(lrs, key):
    # Data 2.2.s4.b1.b1: the LRS MUST reject Statements with any null values (except inside extensions).
    stmt = statement(id=uid())
    stmt[key] = None
    resp = lrs.post_statements(stmt)
    assert resp.status_code == 400


def test_nulls_inside_extensions_allowed(lrs):
    # Data 2.2.s4.b1.b1 (exception) + 4.1.s3.b2: values inside extensions are not validated.
    stmt = statement(
        id=uid(),
        context={"extensions": {"http://lms.example.org/ext/null": None}},
        object={
            "id": "http://lms.example.org/a",
            "definition": {"extensions": {"http://lms.example.org/ext/n": None}},
        },
    )
    lrs.store(stmt)
    assert_same_statement(stmt, lrs.fetch(stmt["id"]))


def test_substatement_context_activities_returned_as_arrays(lrs):
    # Data 2.4.6.2.s4.b3 inside a SubStatement (2.4.4.3.s8.b2: validated and treated as a Statement).
    parent = {"id": "http://lms.example.org/parent"}
    sub = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:s@example.org"},
        "verb": {"id": "http://example.org/verbs/planned"},
        "object": {"id": "http://example.org/a"},
        "context": {"contextActivities": {"parent": parent}},
    }
    stmt = statement(id=uid(), object=sub)
    lrs.store(stmt)
    got = lrs.fetch(stmt["id"])["object"]["context"]["contextActivities"]
    assert got == {"parent": [parent]}
