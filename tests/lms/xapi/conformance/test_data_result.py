"""xAPI Data 2.4.5 Result, 2.4.5.1 Score, 4.6 Durations, 2.2.s4.b3 number precision."""

from __future__ import annotations

import math

import pytest
from xapi_helpers import DELETE, assert_same_statement, mutate, result, statement, uid


def base():
    return statement(id=uid(), result=result())


def test_full_result_returned_unchanged(lrs):
    # Data 2.4.5: every Result property; Data 2.2.s4.b5: no different serialisation on return.
    stmt = base()
    lrs.store(stmt)
    assert_same_statement(stmt, lrs.fetch(stmt["id"]))


@pytest.mark.parametrize(
    "duration",
    ["PT4H35M59.14S", "P16559.14S", "P3Y1M29DT4H35M59.14S", "P3Y", "P4W", "PT0S", "PT1234S", "P1D"],
)
def test_valid_durations_accepted_and_kept_as_given(lrs, duration):
    # Data 4.6 examples; Data 2.3.1.b8: the Result Duration is compared as a string (kept as recorded).
    stmt = mutate(base(), "result.duration", duration)
    lrs.store(stmt)
    assert lrs.fetch(stmt["id"])["result"]["duration"] == duration


@pytest.mark.xapi_should
def test_duration_with_more_than_hundredths_not_rejected(lrs):
    # Data 4.6.s1.b4: the LRS SHOULD* NOT reject a Duration with more than 0.01 s precision (MAY truncate).
    stmt = mutate(base(), "result.duration", "PT1.23456S")
    lrs.store(stmt)
    assert lrs.fetch(stmt["id"])["result"]["duration"] in ("PT1.23456S", "PT1.23S")


@pytest.mark.parametrize("scaled", [-1, 1, 0, 0.5, -0.25])
def test_scaled_bounds_inclusive(lrs, scaled):
    # Data 2.4.5.1 table: scaled is a decimal number between -1 and 1, inclusive.
    lrs.store(mutate(base(), "result.score", {"scaled": scaled}))


def test_numbers_kept_with_at_least_float32_precision(lrs):
    # Data 2.2.s4.b3: the LRS MUST process and store numbers with at least IEEE 754 32-bit precision.
    raw = 123.456789
    stmt = mutate(base(), "result.score", {"raw": raw, "min": 0.000123, "max": 1000.5, "scaled": 0.1234567})
    lrs.store(stmt)
    score = lrs.fetch(stmt["id"])["result"]["score"]
    for key, sent in stmt["result"]["score"].items():
        # float32 keeps 24 significant bits: relative error at most 2**-24.
        assert math.isclose(score[key], sent, rel_tol=2**-23), key


def test_extensions_values_are_not_validated(lrs):
    # Data 4.1.s3.b2: an LRS MUST NOT reject a Statement based on the values of the extensions map;
    # Data 2.2.s4.b1.b1: null values are allowed inside extensions.
    ext = {
        "http://lms.example.org/ext/a": None,
        "http://lms.example.org/ext/b": {"deep": [1, "x", None]},
        "http://lms.example.org/ext/c": "",
        "http://lms.example.org/ext/d": [True, 1.5],
    }
    stmt = mutate(base(), "result.extensions", ext)
    lrs.store(stmt)
    assert lrs.fetch(stmt["id"])["result"]["extensions"] == ext


MALFORMED = [
    ("result a string", "result", "passed"),
    ("result null", "result", None),  # 2.2.s4.b1.b1
    ("result with extra property", "result.grade", "A"),  # 2.2.s4.b1.b7
    ("result key wrong case", "result.Success", True),  # 2.2.s4.b1.b5
    # Data 2.2.s4.b1.b3: strings where booleans are required MUST be rejected.
    ("success a string", "result.success", "true"),
    ("completion a string", "result.completion", "false"),
    ("success a number", "result.success", 1),
    ("success null", "result.success", None),
    # Data 2.4.5 table: response is a String.
    ("response a number", "result.response", 3),
    ("response an object", "result.response", {"answer": "art3"}),
    # Data 2.2.s4.b1.b2: strings where numbers are required MUST be rejected.
    ("scaled a string", "result.score.scaled", "0.75"),
    ("raw a string", "result.score.raw", "15"),
    ("min a string", "result.score.min", "0"),
    ("max a string", "result.score.max", "20"),
    ("score a number", "result.score", 0.75),
    ("score with extra property", "result.score.percent", 75),
    ("score value null", "result.score.raw", None),
    # Data 2.4.5.1 table: scaled in [-1, 1]; raw between min and max; min < max.
    ("scaled above 1", "result.score", {"scaled": 1.01}),
    ("scaled below -1", "result.score", {"scaled": -1.5}),
    ("raw above max", "result.score", {"raw": 21, "min": 0, "max": 20}),
    ("raw below min", "result.score", {"raw": -1, "min": 0, "max": 20}),
    ("raw above max without min", "result.score", {"raw": 25, "max": 20}),
    ("raw below min without max", "result.score", {"raw": -5, "min": 0}),
    ("min greater than max", "result.score", {"min": 20, "max": 0}),
    ("min equal to max", "result.score", {"min": 5, "max": 5}),
    # Data 4.6.s1.b1: Duration in the ISO 8601:2004 4.4.3.2 format; the alternative format MUST NOT be used.
    ("duration not ISO 8601", "result.duration", "4 minutes"),
    ("duration alternative format", "result.duration", "P0003-01-29T04:35:59"),
    ("duration weeks combined with days", "result.duration", "P4W1D"),
    ("duration without P", "result.duration", "T4M"),
    ("duration with T but no time", "result.duration", "P1DT"),
    ("duration a number", "result.duration", 275),
    ("duration empty", "result.duration", ""),
    # Data 4.1.s3.b1: the keys of an extensions map MUST be IRIs.
    ("extension key not an IRI", "result.extensions", {"attempt": 2}),
    ("extensions not an object", "result.extensions", [2]),
    ("extensions null", "result.extensions", None),
]


@pytest.mark.parametrize("path,value", [(p, v) for _d, p, v in MALFORMED], ids=[d for d, _p, _v in MALFORMED])
def test_malformed_result_rejected(lrs, path, value):
    lrs.rejects(mutate(base(), path, value))


def test_result_properties_all_optional(lrs):
    # Data 2.4.5 table: every Result property is Optional.
    stmt = mutate(base(), "result", {"completion": True})
    lrs.store(stmt)
    assert lrs.fetch(stmt["id"])["result"] == {"completion": True}
    assert "result" not in lrs.fetch(lrs.store(mutate(base(), "result", DELETE)))
