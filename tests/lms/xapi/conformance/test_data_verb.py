"""xAPI Data 2.4.3 Verb."""

from __future__ import annotations

import pytest
from xapi_helpers import DELETE, assert_same_statement, mutate, statement, uid, verb


def base():
    return statement(
        id=uid(),
        verb=verb("http://adlnet.gov/expapi/verbs/attempted", {"en-US": "attempted", "fr": "a tenté"}),
    )


def test_verb_display_returned_exactly_in_exact_format(lrs):
    # Data 2.4.3.s6.b1: with format "exact" the LRS MUST return "display" exactly as included.
    stmt = base()
    lrs.store(stmt)
    assert lrs.fetch(stmt["id"], format="exact")["verb"] == stmt["verb"]
    assert_same_statement(stmt, lrs.fetch(stmt["id"]))  # "exact" is the default format


def test_verb_without_display_accepted_and_returned_without_display(lrs):
    # Data 2.4.3.s3 table: display is Recommended, not Required; 2.4.3.s6.b1: returned as omitted.
    stmt = mutate(base(), "verb.display", DELETE)
    lrs.store(stmt)
    assert lrs.fetch(stmt["id"], format="exact")["verb"] == {"id": "http://adlnet.gov/expapi/verbs/attempted"}


def test_verb_with_non_ascii_iri_accepted(lrs):
    # Data 2.4.3.1: "the Verb IRI http://example.com/فعل/خواندن might denote the action of reading".
    stmt = mutate(base(), "verb", {"id": "http://example.com/فعل/خواندن", "display": {"fa": "خواندن"}})
    lrs.store(stmt)
    assert lrs.fetch(stmt["id"])["verb"]["id"] == "http://example.com/فعل/خواندن"


@pytest.mark.xapi_should
def test_ids_format_omits_verb_display(lrs):
    # Data 2.4.3.s6.b2: with format "ids" the LRS SHOULD* NOT include "display".
    stmt = base()
    lrs.store(stmt)
    got = lrs.fetch(stmt["id"], format="ids")["verb"]
    assert got["id"] == stmt["verb"]["id"]
    assert "display" not in got


MALFORMED = [
    # Data 2.2.s2.b3: a Statement MUST use "verb".
    ("verb missing", "verb", DELETE),
    # Data 2.4.3.s3 table: id is Required, an IRI.
    ("verb without id", "verb.id", DELETE),
    ("verb id without scheme", "verb.id", "verbs/attempted"),  # 2.2.s4.b1.b8
    ("verb id empty", "verb.id", ""),  # 2.2.s4.b1.b4
    ("verb id a number", "verb.id", 7),
    ("verb id null", "verb.id", None),  # 2.2.s4.b1.b1
    ("verb is a string", "verb", "http://adlnet.gov/expapi/verbs/attempted"),
    # display is a Language Map (Data 4.2): an object of RFC 5646 tag -> string.
    ("display a string", "verb.display", "attempted"),
    ("display an array", "verb.display", ["attempted"]),
    ("display value a number", "verb.display", {"en-US": 3}),
    ("display value null", "verb.display", {"en-US": None}),
    ("display key not a language tag", "verb.display", {"a12345": "attempted"}),  # 2.2.s4.b2
    ("display null", "verb.display", None),
    # Data 2.2.s4.b1.b7 / b5: keys not allowed or wrong case.
    ("verb with extra property", "verb.name", {"en-US": "attempted"}),
    ("verb with objectType", "verb.objectType", "Verb"),
    ("verb key in wrong case (ID)", "verb", {"ID": "http://adlnet.gov/expapi/verbs/attempted"}),
]


@pytest.mark.parametrize("path,value", [(p, v) for _d, p, v in MALFORMED], ids=[d for d, _p, _v in MALFORMED])
def test_malformed_verb_rejected(lrs, path, value):
    lrs.rejects(mutate(base(), path, value))


@pytest.mark.xapi_should
def test_empty_display_rejected(lrs):
    # Data 2.2.s2.b1: properties SHOULD NOT have an empty object value (the ADL suite expects 400).
    lrs.rejects(mutate(base(), "verb.display", {}))


def test_statement_key_in_wrong_case_rejected(lrs):
    # Data 2.2.s4.b1.b5: the LRS MUST reject Statements where the case of a key does not match the spec.
    stmt = base()
    stmt["Verb"] = stmt.pop("verb")
    lrs.rejects(stmt)
