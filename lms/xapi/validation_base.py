"""Building blocks of statement validation: strict JSON parsing and checks of the xAPI data types, each
raising :class:`lms.xapi.errors.XAPIError` (400) with the property path in the message. Pure."""

from __future__ import annotations

import json

from lms.xapi import formats as f
from lms.xapi.errors import XAPIError


def fail(path: str, message: str):
    raise XAPIError(400, f"{path}: {message}")


# -- JSON ------------------------------------------------------------------------------------------


def _no_duplicates(pairs):
    out = dict(pairs)  # built in C; only a shorter dict than the list of pairs needs the slow search
    if len(out) != len(pairs):
        seen = set()
        for key, _value in pairs:
            if key in seen:
                raise XAPIError(400, f"JSON: the property {key!r} occurs more than once in an object")
            seen.add(key)
    return out


def _no_constants(name):
    raise XAPIError(400, f"JSON: {name} is not a valid JSON number")


def parse_json(raw: bytes | str, what: str = "request body"):
    """Strict JSON: UTF-8, no duplicate keys, no NaN/Infinity. Raises XAPIError(400)."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise XAPIError(400, f"{what}: must be UTF-8 encoded") from None
    try:
        return json.loads(raw, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise XAPIError(
            400, f"{what}: malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None


# -- building blocks -------------------------------------------------------------------------------


def as_object(value, path: str, what: str = "an object") -> dict:
    if not isinstance(value, dict):
        fail(path, f"must be {what} (JSON object)")
    return value


def check_keys(obj: dict, allowed: set, path: str, required=()) -> None:
    for key, value in obj.items():
        if key not in allowed:
            lowered = {a.lower(): a for a in allowed}
            if key.lower() in lowered:
                fail(f"{path}.{key}", f"wrong case, the property is named {lowered[key.lower()]!r}")
            fail(f"{path}.{key}", "is not an allowed property here")
        if value is None:
            fail(f"{path}.{key}", "must not be null")
    for key in required:
        if key not in obj:
            fail(f"{path}.{key}", "is required")


def string(value, path: str) -> str:
    if not isinstance(value, str):
        fail(path, "must be a string")
    return value


def boolean(value, path: str) -> None:
    if not isinstance(value, bool):
        fail(path, "must be a boolean (true or false, not a string)")


def number(value, path: str) -> None:
    if not f.is_number(value):
        fail(path, "must be a number (not a string)")


def iri(value, path: str) -> None:
    string(value, path)
    if len(value) > f.MAX_IRI_LENGTH:
        fail(path, f"IRIs longer than {f.MAX_IRI_LENGTH} characters are not accepted")
    if not f.is_iri(value):
        fail(path, "must be an absolute IRI (with a scheme, without spaces)")


def uuid(value, path: str) -> None:
    if not f.is_uuid(value):
        fail(path, "must be a UUID in standard string form (8-4-4-4-12 hexadecimal digits)")


def timestamp(value, path: str) -> None:
    if f.parse_timestamp(value) is None:
        fail(path, "must be an ISO 8601 timestamp, e.g. 2024-05-01T12:00:00.000Z")


def language_map(value, path: str) -> None:
    as_object(value, path, "a language map")
    if not value:
        fail(path, "must not be an empty language map (leave the property out instead)")
    for tag, text in value.items():
        if not f.is_language_tag(tag):
            fail(f"{path}.{tag}", "the key must be an RFC 5646 language tag")
        if text is None:
            fail(f"{path}.{tag}", "must not be null")
        string(text, f"{path}.{tag}")


def extensions(value, path: str) -> None:
    as_object(value, path, "an extensions map")
    for key in value:  # values may be any JSON value, null included (Data 4.1.s3.b2)
        iri(key, f"{path}[{key!r}]")
