"""xAPI Data 2.4.7 Timestamp, 2.4.8 Stored, 4.5 ISO 8601 Timestamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from xapi_helpers import mutate, parse_ts, same_instant, statement, uid


def base(**kw):
    return statement(id=uid(), **kw)


@pytest.mark.parametrize(
    "timestamp",
    [
        "2024-03-14T09:26:53.589Z",
        "2024-03-14T09:26:53.589+00:00",
        "2024-03-14T11:26:53.589+02:00",
        "2024-03-14T04:26:53.589-05:00",
        "2024-03-14T09:26:53Z",
        "2024-03-14T09:26:53.589123Z",
    ],
)
def test_timestamp_keeps_point_in_time_and_milliseconds(lrs, timestamp):
    # Data 4.5.s1.b3: a Timestamp MUST preserve precision to at least milliseconds; 4.5.s1.b5: it MAY come
    # back in another timezone "so long as the point in time referenced is not affected" (2.3.1.b4).
    stmt = base(timestamp=timestamp)
    lrs.store(stmt)
    assert same_instant(lrs.fetch(stmt["id"])["timestamp"], timestamp)


@pytest.mark.parametrize(
    "bad",
    [
        "not a timestamp",
        "",
        "2024-03-14",  # a date, not a combined date and time
        "2024-13-14T09:26:53Z",  # month 13
        "2024-02-30T09:26:53Z",  # 30 February
        "2024-03-14T25:26:53Z",  # hour 25
        "2024-03-14T09:26:53+2:00",  # malformed offset
        "2024-03-14T09:26:53.589-00:00",  # ISO 8601 forbids a negative zero offset
        "2024-03-14T09:26:53.589-0000",
        "2024-03-14T09:26:53.589-00",
        "14/03/2024 09:26",
        1710408413,
    ],
)
def test_malformed_timestamp_rejected(lrs, bad):
    # Data 4.5.s1.b1: a Timestamp MUST be formatted according to ISO 8601 (combined date and time);
    # Data 2.2.s4.b1.b4: non-format-following values MUST be rejected.
    lrs.rejects(base(timestamp=bad))


def test_null_timestamp_rejected(lrs):
    # Data 2.2.s4.b1.b1: the LRS MUST reject Statements with any null values.
    lrs.rejects(base(timestamp=None))


def test_stored_is_set_by_the_lrs(lrs):
    # Data 2.4.8.s3.b2: "stored" MUST be set by the LRS.
    before = datetime.now(UTC) - timedelta(seconds=5)
    stmt_id = lrs.store(base())
    stored = parse_ts(lrs.fetch(stmt_id)["stored"])
    assert before <= stored <= datetime.now(UTC) + timedelta(seconds=5)


def test_stored_given_by_client_is_overwritten(lrs):
    # Data 2.4.8.s3.b2: the LRS SHOULD validate and then MUST overwrite any value in "stored".
    stmt = base(stored="2001-01-01T00:00:00.000Z")
    lrs.store(stmt)
    stored = parse_ts(lrs.fetch(stmt["id"])["stored"])
    assert stored.year >= 2024


def test_timestamp_set_when_missing(lrs):
    # Data 2.4 table: timestamp "Set by the LRS if not provided".
    stmt_id = lrs.store(base())
    got = lrs.fetch(stmt_id)
    assert "timestamp" in got
    parse_ts(got["timestamp"])


@pytest.mark.xapi_should
def test_missing_timestamp_equals_stored(lrs):
    # Data 2.4.7.s3.b2: "timestamp" SHOULD* be set by the LRS to the value of "stored" if not provided.
    got = lrs.fetch(lrs.store(base()))
    assert same_instant(got["timestamp"], got["stored"])


@pytest.mark.xapi_should
def test_future_timestamp_not_rejected(lrs):
    # Data 2.4.7.s3.b6: an LRS SHOULD* NOT reject a timestamp greater than the current time.
    future = (datetime.now(UTC) + timedelta(minutes=10)).isoformat(timespec="milliseconds")
    stmt = base(timestamp=future)
    lrs.store(stmt)
    assert same_instant(lrs.fetch(stmt["id"])["timestamp"], future)


@pytest.mark.xapi_should
def test_timestamps_returned_in_utc(lrs):
    # Data 4.5.s1.b6: the LRS SHOULD* return the Timestamp in UTC.
    stmt = base(timestamp="2024-03-14T11:26:53.589+02:00")
    lrs.store(stmt)
    got = lrs.fetch(stmt["id"])
    for key in ("timestamp", "stored"):
        assert parse_ts(got[key]).utcoffset() == timedelta(0), got[key]


def test_substatement_timestamp_checked_too(lrs):
    # Data 2.4.4.3.s8.b2: a SubStatement is validated as a Statement (its timestamp is ISO 8601 too).
    sub = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:s@example.org"},
        "verb": {"id": "http://example.org/verbs/planned"},
        "object": {"id": "http://example.org/a"},
        "timestamp": "next tuesday",
    }
    lrs.rejects(mutate(base(), "object", sub))
