"""Statement-level rules (Data 2.2 formatting requirements, 2.4.1 id, 2.4.7-2.4.10) and the special data
types (Data 4: language tags, IRIs, UUIDs, timestamps)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements_testing import assert_invalid, mutate, stmt  # noqa: E402

from lms.xapi import formats  # noqa: E402
from lms.xapi.errors import XAPIError  # noqa: E402
from lms.xapi.validation import parse_json, validate_statement, validate_statements  # noqa: E402

BAD = [
    ("id not a uuid", "id", "1234", "statement.id"),
    ("id empty", "id", "", "statement.id"),
    ("id a number", "id", 1234, "statement.id"),
    ("id without dashes", "id", "8f87ccdebb564c2eab8344982ef22df0", "statement.id"),
    ("null top-level value", "result", None, "statement.result: must not be null"),
    ("null deep value", "object.definition.type", None, "statement.object.definition.type: must not be null"),
    ("unknown top-level key", "mood", "happy", "statement.mood"),
    ("objectType on a statement", "objectType", "Statement", "statement.objectType"),
    ("top-level key in wrong case", "Verb", {"id": "http://e.org/v"}, "wrong case"),
    ("version 1.1.0", "version", "1.1.0", "statement.version"),
    ("version 0.95", "version", "0.95", "statement.version"),
    ("version 1.0. without patch", "version", "1.0.", "statement.version"),
    ("version a number", "version", 1.0, "statement.version"),
    ("timestamp not ISO 8601", "timestamp", "01/05/2024 10:00", "statement.timestamp"),
    ("timestamp impossible date", "timestamp", "2024-02-30T10:00:00Z", "statement.timestamp"),
    ("timestamp negative zero offset", "timestamp", "2024-05-01T10:00:00-00:00", "statement.timestamp"),
    ("timestamp a number", "timestamp", 1714557600, "statement.timestamp"),
    ("stored not ISO 8601", "stored", "yesterday", "statement.stored"),
    ("authority without identifier", "authority", {"name": "x"}, "statement.authority"),
    (
        "authority group of three",
        "authority",
        {
            "objectType": "Group",
            "member": [{"mbox": "mailto:a@e.org"}, {"mbox": "mailto:b@e.org"}, {"mbox": "mailto:c@e.org"}],
        },
        "statement.authority",
    ),
]


@pytest.mark.parametrize("path,value,fragment", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_statement_properties_are_refused(path, value, fragment):
    assert_invalid(mutate(stmt(), path, value), fragment)


def test_extensions_may_hold_nulls_and_anything():
    validate_statement(
        stmt(
            context={"extensions": {"http://example.org/e": None}},
            result={"extensions": {"http://example.org/e": {"a": [None, "x", 1.5, False]}}},
        )
    )


def test_statement_must_be_an_object_and_batches_name_the_index():
    with pytest.raises(XAPIError) as info:
        validate_statement("hello")
    assert info.value.status == 400
    with pytest.raises(XAPIError) as info:
        validate_statements([stmt(), stmt(), stmt(id="nope")])
    assert "statements[2].id" in info.value.message


def test_valid_statement_with_every_lrs_property_passes():
    validate_statement(
        stmt(
            id="8F87CCDE-BB56-4C2E-AB83-44982EF22DF0",
            version="1.0.9",
            timestamp="2013-05-18T05:32:34.804+00:00",
            stored="2013-05-18T05:32:34.804Z",
            authority={
                "objectType": "Group",
                "member": [
                    {"account": {"homePage": "http://example.com/xAPI/OAuth/Token", "name": "app"}},
                    {"mbox": "mailto:bob@example.com"},
                ],
            },
        )
    )


@pytest.mark.parametrize("raw", ['{"a": 1, "a": 2}', '{"a": NaN}', '{"a": Infinity}', '{"a": ', "[1,]", ""])
def test_strict_json(raw):
    with pytest.raises(XAPIError) as info:
        parse_json(raw)
    assert info.value.status == 400 and info.value.message


@pytest.mark.parametrize(
    "tag",
    [
        "en",
        "en-US",
        "zh-Hans-CN",
        "es-419",
        "sgn-BE-FR",
        "i-klingon",
        "x-private",
        "de-CH-1901",
        "en-a-bbb-x-a-ccc",
        "und",
        "ar",
    ],
)
def test_valid_language_tags(tag):
    assert formats.is_language_tag(tag)


@pytest.mark.parametrize(
    "tag", ["", "e", "en_US", "en-", "english language", "en-US-", "123", "en--US", "abcdefghi", "en-a", "x"]
)
def test_invalid_language_tags(tag):
    assert not formats.is_language_tag(tag)


@pytest.mark.parametrize(
    "iri",
    [
        "http://example.org/a",
        "https://例え.jp/ü",
        "urn:uuid:1",
        "tag:adlnet.gov,2013:x",
        "mailto:a@b.org",
        "http://example.org/a?b=c#d",
    ],
)
def test_valid_iris(iri):
    assert formats.is_iri(iri)


@pytest.mark.parametrize(
    "iri",
    [
        "",
        "example.org",
        "/relative",
        "http://",
        "http:/path",
        "http://a b",
        "1http://x",
        "http://" + "a" * 1000,
    ],
)
def test_invalid_iris(iri):
    assert not formats.is_iri(iri)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("2024-05-01T10:00:00.123Z", datetime(2024, 5, 1, 10, 0, 0, 123000, tzinfo=UTC)),
        ("2024-05-01T12:00:00+02:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("2024-05-01T05:30:00-0430", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("2024-05-01T10:00:00.1234567891Z", datetime(2024, 5, 1, 10, 0, 0, 123456, tzinfo=UTC)),
        ("2024-05-01T10:00Z", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("2024-05-01T10:00:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),
    ],
)
def test_timestamps_parse_to_utc(value, expected):
    assert formats.parse_timestamp(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2024-05-01",
        "2024-05-01 10:00:00Z",
        "2024-13-01T10:00:00Z",
        "2024-05-01T25:00:00Z",
        "2024-05-01T10:00:00+24:00",
        "2024-05-01T10:00:00-00:00",
        "20240501T100000Z",
        "2024-05-01T10:00:00ZZ",
    ],
)
def test_invalid_timestamps(value):
    assert formats.parse_timestamp(value) is None


def test_utc_rendering_keeps_the_fraction():
    assert formats.utc_timestamp("2024-03-14T11:26:53.589+02:00") == "2024-03-14T09:26:53.589Z"
    dt = datetime(2024, 1, 1, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=1)))
    assert formats.format_timestamp(dt) == "2024-01-01T00:02:03.000004Z"


@pytest.mark.parametrize(
    "value,seconds",
    [
        ("PT1H30M", 5400.0),
        ("P1DT1S", 86401.0),
        ("P2W", 1209600.0),
        ("PT0.25S", 0.25),
        ("P16559.14S", 16559.14),
    ],
)
def test_duration_seconds(value, seconds):
    assert formats.duration_seconds(value) == pytest.approx(seconds)


def test_early_and_edge_years():
    assert formats.utc_timestamp("0999-01-01T00:00:00+00:00") == "0999-01-01T00:00:00Z"
    assert formats.format_timestamp(datetime(5, 1, 1, tzinfo=UTC)) == "0005-01-01T00:00:00.000000Z"
    # valid ISO 8601 but not representable once moved to UTC: refused, not a crash
    assert formats.parse_timestamp("0001-01-01T00:00:00+01:00") is None
    assert_invalid(stmt(timestamp="9999-12-31T23:59:59-01:00"), "statement.timestamp")
