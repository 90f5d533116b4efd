"""The special data types of xAPI 1.0.3 (Data, section 4): IRIs, UUIDs, RFC 5646 language tags,
ISO 8601 timestamps and durations, mailto IRIs, SHA-1/SHA-2 hex strings and Internet media types.

Pure functions, no Flask: ``is_*`` answer a yes/no question, ``parse_*`` return a value or ``None``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

# IRIs: a scheme, a colon, then no whitespace nor the characters RFC 3987 excludes. Best effort, as the
# specification allows (Data 2.2.s4.b6); http(s) IRIs also need a host.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_HTTP_NO_HOST = re.compile(r"^https?:(?!//[^/?#\s]+)", re.IGNORECASE)
MAX_IRI_LENGTH = 1000

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_MBOX = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
_SHA2 = re.compile(r"^(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})$")
_MEDIA_TYPE = re.compile(r"^[A-Za-z0-9!#$&^_.+\-]+/[A-Za-z0-9!#$&^_.+\-]+(?:\s*;.*)?$", re.DOTALL)
# "1.0" is the short form the version header also takes (Communication 3.3), which Data 2.4.10.s2.b1 says
# the statement's version follows.
_VERSION = re.compile(r"^1\.0(?:\.\d+)?$")

_GRANDFATHERED = (
    "en-gb-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn|i-tao|"
    "i-tay|i-tsu|sgn-be-fr|sgn-be-nl|sgn-ch-de|art-lojban|cel-gaulish|no-bok|no-nyn|zh-guoyu|"
    "zh-hakka|zh-min|zh-min-nan|zh-xiang"
)
_LANGTAG = re.compile(
    r"^(?:"
    # language (+ extlang); a four-letter language subtag is reserved for future standardisation
    # (RFC 5646 2.2.1), so no valid tag has one
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{5,8})"
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|\d{3}))?"  # region
    r"(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*"  # variants
    r"(?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*"  # extensions
    r"(?:-x(?:-[a-z\d]{1,8})+)?"  # private use
    r"|x(?:-[a-z\d]{1,8})+"
    r"|" + _GRANDFATHERED + r")$",
    re.IGNORECASE,
)

_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"([Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)

_NUM = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(
    rf"^P(?:(?P<weeks>{_NUM})W"
    rf"|(?P<secs_only>{_NUM})S"
    rf"|(?=\d|T\d)(?:(?P<years>{_NUM})Y)?(?:(?P<months>{_NUM})M)?(?:(?P<days>{_NUM})D)?"
    rf"(?:T(?=\d)(?:(?P<hours>{_NUM})H)?(?:(?P<minutes>{_NUM})M)?(?:(?P<seconds>{_NUM})S)?)?)$"
)


# Statements repeat the same verbs, activity ids, extension keys and language tags over and over, and
# every statement's timestamps are read several times (validation, normalisation, indexed columns): the
# pure checks below are memoised on the string (bounded, results are immutable).
_MEMO = 8192


def is_iri(value) -> bool:
    return isinstance(value, str) and len(value) <= MAX_IRI_LENGTH and _is_iri(value)


@lru_cache(maxsize=_MEMO)
def _is_iri(value: str) -> bool:
    return bool(_IRI.match(value)) and not _HTTP_NO_HOST.match(value)


def is_uuid(value) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def is_mbox(value) -> bool:
    return isinstance(value, str) and bool(_MBOX.match(value))


def is_sha1_hex(value) -> bool:
    return isinstance(value, str) and bool(_SHA1.match(value))


def is_sha2_hex(value) -> bool:
    return isinstance(value, str) and bool(_SHA2.match(value))


def is_media_type(value) -> bool:
    return isinstance(value, str) and bool(_MEDIA_TYPE.match(value.strip()))


def is_language_tag(value) -> bool:
    return isinstance(value, str) and _is_language_tag(value)


@lru_cache(maxsize=_MEMO)
def _is_language_tag(value: str) -> bool:
    return bool(_LANGTAG.match(value)) and not _repeats_a_subtag(value)


def _repeats_a_subtag(tag: str) -> bool:
    """RFC 5646 2.2.5 / 2.2.6: a variant, or an extension singleton, appears at most once in a tag (the
    private use part, after ``x``, is free)."""
    subtags = tag.lower().split("-")
    if "x" in subtags:
        subtags = subtags[: subtags.index("x")]
    singletons = [s for s in subtags[1:] if len(s) == 1]
    extensions_at = next((i for i, s in enumerate(subtags) if i and len(s) == 1), len(subtags))
    variants = [s for s in subtags[1:extensions_at] if len(s) >= 5 or (len(s) == 4 and s[0].isdigit())]
    return len(set(singletons)) < len(singletons) or len(set(variants)) < len(variants)


def is_statement_version(value) -> bool:
    return isinstance(value, str) and bool(_VERSION.match(value))


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_timestamp(value) -> datetime | None:
    """An ISO 8601 combined date and time (RFC 3339 profile, seconds optional) -> an aware UTC
    datetime; ``None`` when malformed. A timestamp without zone is read as UTC. The offset ``-00:00``
    (RFC 3339's "unknown local offset") is refused, as it does not name a point in time."""
    if not isinstance(value, str):
        return None
    return _parse_timestamp(value)


@lru_cache(maxsize=_MEMO)
def _parse_timestamp(value: str) -> datetime | None:
    m = _TIMESTAMP.match(value)
    if not m:
        return None
    year, month, day, hour, minute, second, fraction, zone = m.groups()
    if zone and zone[0] == "-" and not zone.replace("-", "").replace(":", "").strip("0"):
        return None
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    if zone is None or zone in ("Z", "z"):
        tz = UTC
    else:
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        if hours > 23 or minutes > 59:
            return None
        tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        dt = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tzinfo=tz
        )
        return dt.astimezone(UTC)
    except (ValueError, OverflowError):  # no such date, or out of range once in UTC
        return None


def format_timestamp(dt: datetime) -> str:
    """UTC, microsecond precision, ``Z``: ``2024-05-01T12:00:00.123456Z``."""
    dt = dt.astimezone(UTC)
    return f"{_date_time(dt)}.{dt.microsecond:06d}Z"


def _date_time(dt: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS`` with a four-digit year (``strftime("%Y")`` drops the zeros of years
    before 1000)."""
    return f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"


def utc_timestamp(value: str) -> str:
    """A valid timestamp re-expressed in UTC (``Z``), keeping the fraction of a second as given (the
    LRS SHOULD* return timestamps in UTC, Data 4.5.s1.b6)."""
    m = _TIMESTAMP.match(value)
    dt = parse_timestamp(value)
    if not m or dt is None:
        return value
    fraction = m.group(7)
    text = _date_time(dt)
    if fraction:
        text += "." + fraction
    return text + "Z"


def is_duration(value) -> bool:
    return isinstance(value, str) and bool(_DURATION.match(value))


def duration_seconds(value) -> float | None:
    """An ISO 8601 duration in seconds, approximately (a year is 365 days, a month 30), for analytics;
    ``None`` when malformed."""
    if not isinstance(value, str):
        return None
    m = _DURATION.match(value)
    if not m:
        return None
    factors = {
        "weeks": 604800,
        "secs_only": 1,
        "years": 31536000,
        "months": 2592000,
        "days": 86400,
        "hours": 3600,
        "minutes": 60,
        "seconds": 1,
    }
    total = 0.0
    for name, factor in factors.items():
        part = m.group(name)
        if part:
            total += float(part.replace(",", ".")) * factor
    return total
