"""Reading xAPI statements: verb keys, the platform's activity IRIs, languages, played segments.

Activity IRIs of the platform look like ``{BASE_URL}/xapi/activities/{kind}/{key}/{child...}``
(:func:`lms.xapi.activity_iri`); the first two parts name the resource (a course, webinar, kit...)
and the rest the part of it (``lesson/<uuid>``, ``question/<uuid>``). The host is ignored so that
statements recorded under an older base URL are still understood.
"""

from __future__ import annotations

import re
from datetime import datetime

_IRI = re.compile(r"/xapi/activities/([A-Za-z0-9_.-]+)/([^/?#]+)(?:/([^?#]*))?/?$")

# Verb IRIs by the key analytics uses; unknown verbs are keyed by the last segment of their IRI.
KNOWN_VERBS = {
    "http://adlnet.gov/expapi/verbs/registered": "registered",
    "http://adlnet.gov/expapi/verbs/launched": "launched",
    "http://adlnet.gov/expapi/verbs/initialized": "initialized",
    "http://adlnet.gov/expapi/verbs/experienced": "experienced",
    "http://adlnet.gov/expapi/verbs/progressed": "progressed",
    "http://adlnet.gov/expapi/verbs/attempted": "attempted",
    "http://adlnet.gov/expapi/verbs/completed": "completed",
    "http://adlnet.gov/expapi/verbs/answered": "answered",
    "http://adlnet.gov/expapi/verbs/passed": "passed",
    "http://adlnet.gov/expapi/verbs/failed": "failed",
    "http://adlnet.gov/expapi/verbs/scored": "scored",
    "http://adlnet.gov/expapi/verbs/attended": "attended",
    "http://adlnet.gov/expapi/verbs/asked": "asked",
    "http://adlnet.gov/expapi/verbs/commented": "commented",
    "http://adlnet.gov/expapi/verbs/terminated": "terminated",
    "http://adlnet.gov/expapi/verbs/suspended": "suspended",
    "http://adlnet.gov/expapi/verbs/resumed": "resumed",
    "http://adlnet.gov/expapi/verbs/voided": "voided",
    "https://w3id.org/xapi/video/verbs/played": "played",
    "https://w3id.org/xapi/video/verbs/paused": "paused",
    "https://w3id.org/xapi/video/verbs/seeked": "seeked",
    "http://activitystrea.ms/schema/1.0/submit": "submitted",
    "http://activitystrea.ms/submit": "submitted",
    "http://activitystrea.ms/start": "started",
    "https://w3id.org/xapi/adl/verbs/satisfied": "satisfied",
}
_ALIASES = {"submit": "submitted", "attend": "attended", "register": "registered", "complete": "completed"}

VIDEO_VERBS = {"initialized", "played", "paused", "seeked", "completed", "terminated"}
STARTED_VERBS = {
    "started",
    "interacted",
    "resumed",
    "launched",
    "initialized",
    "experienced",
    "progressed",
    "attempted",
    "answered",
    "completed",
    "passed",
    "failed",
    "scored",
    "attended",
    "played",
}
# The steps of a course (what "where learners stop" counts): lessons, quizzes, imported packages.
LESSON_PARTS = {"lesson", "module", "unit", "page", "section", "chapter", "quiz", "package"}
ITEM_PARTS = {"question", "item", "interaction"}
LEARNER_KINDS = {"course", "kit", "workshop"}
VIDEO_KINDS = {"webinar"}
READINESS_KINDS = {"readiness", "readiness-assessment", "assessment", "questionnaire"}

EXT_PLAYED_SEGMENTS = "https://w3id.org/xapi/video/extensions/played-segments"
EXT_LENGTH = "https://w3id.org/xapi/video/extensions/length"
EXT_SESSION_ID = "https://w3id.org/xapi/video/extensions/session-id"

MAX_MEDIA_MINUTES = 24 * 60  # a played segment beyond a day is bad input, not a real recording


# PLATFORM_VERBS maps the platform's verb IRIs to their keys (lms.xapi.verbs); it wins over KNOWN_VERBS
# wherever a verb is named, here and in voiding.
try:
    from lms.xapi.verbs import VERB_KEYS_BY_IRI as PLATFORM_VERBS
except ImportError:  # pragma: no cover - the LRS package is part of the core
    PLATFORM_VERBS = {}


def verb_key(iri: str | None) -> str:
    if not iri:
        return ""
    known = PLATFORM_VERBS.get(iri) or KNOWN_VERBS.get(iri)
    if known:
        return known
    tail = re.split(r"[/#]", iri.rstrip("/#"))[-1].lower()[:60]
    return _ALIASES.get(tail, tail)


def parse_activity(iri: str | None) -> tuple[str, str, str] | None:
    """``(kind, key, child)`` of a platform activity IRI, ``child`` being ``""`` for the resource
    itself; ``None`` for IRIs that are not the platform's."""
    if not iri:
        return None
    m = _IRI.search(iri)
    if not m:
        return None
    return m.group(1)[:30], m.group(2)[:120], (m.group(3) or "").strip("/")[:200]


def child_part(child: str, parts: set[str]) -> str | None:
    """The ``<type>/<id>`` head of ``child`` when its type is one of ``parts`` (e.g. ``lesson/abc``)."""
    if not child:
        return None
    bits = child.split("/")
    if bits[0] in parts and len(bits) >= 2 and bits[1]:
        return f"{bits[0]}/{bits[1]}"
    return None


def item_of(child: str) -> str | None:
    """The quiz item a part IRI names: the path up to the last ``question/<id>`` (or ``item``,
    ``interaction``), e.g. ``quiz/q1/question/abc`` or ``pre-test/question/abc``."""
    bits = (child or "").split("/")
    for i in range(len(bits) - 2, -1, -1):
        if bits[i] in ITEM_PARTS and bits[i + 1]:
            return "/".join(bits[: i + 2])
    return None


def workshop_phase(child: str) -> str | None:
    """``"pre"`` / ``"post"`` for a workshop's pre-test / post-test activity, else ``None``."""
    for bit in (child or "").lower().split("/"):
        if bit in ("pre", "pretest", "pre-test", "pre_test"):
            return "pre"
        if bit in ("post", "posttest", "post-test", "post_test"):
            return "post"
    return None


def language_of(tag: str | None) -> str:
    """The primary language subtag (``es-419`` -> ``es``), ``und`` when unknown."""
    if not tag:
        return "und"
    primary = tag.split("-")[0].split("_")[0].strip().lower()
    return primary[:12] if primary.isalpha() else "und"


def month_of(dt: datetime) -> str:
    return f"{dt.year:04d}-{dt.month:02d}"


def day_of(dt: datetime) -> str:
    return f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}"


def parse_segments(text) -> list[tuple[float, float]]:
    """Played segments of the xAPI Video Profile: ``"0[.]12.5[,]30[.]45"`` -> ``[(0, 12.5), (30, 45)]``.
    Malformed parts are skipped; reversed segments are put in order."""
    if not isinstance(text, str) or not text:
        return []
    out = []
    for part in text.split("[,]"):
        bits = part.split("[.]")
        if len(bits) != 2:
            continue
        try:
            a, b = float(bits[0]), float(bits[1])
        except ValueError:
            continue
        if a != a or b != b or a < 0 or b < 0:  # NaN or negative
            continue
        a, b = min(a, b), max(a, b)
        if b > MAX_MEDIA_MINUTES * 60:
            continue
        out.append((a, b))
    return out


def minutes_of(segments: list[tuple[float, float]]) -> set[int]:
    """Every minute of the media touched by the segments (minute ``m`` covers ``[60m, 60m+60)``)."""
    minutes: set[int] = set()
    for a, b in segments:
        if b <= a:
            continue
        first, last = int(a // 60), int((b - 1e-9) // 60)
        minutes.update(range(first, last + 1))
    return minutes


def assessed_country(extensions) -> str | None:
    """The country a readiness assessment is about (context extension ``.../assessment-country``)."""
    if isinstance(extensions, dict):
        for iri, value in extensions.items():
            if (
                str(iri).rstrip("/").endswith("assessment-country")
                and isinstance(value, str)
                and len(value) == 2
            ):
                return value.upper()
    return None


def levels_of(extensions) -> dict[str, float | None]:
    """Readiness levels by dimension from a statement's result extensions: the extension whose IRI ends
    in ``levels`` (e.g. ``.../dimension-levels``), else every extension whose value is an object of
    numbers (or nulls), read as ``{dimension: level}``."""
    levels: dict[str, float | None] = {}
    if not isinstance(extensions, dict):
        return levels
    named = {k: v for k, v in extensions.items() if str(k).rstrip("/").endswith("levels")}
    for value in (named or extensions).values():
        if (
            isinstance(value, dict)
            and value
            and all(
                v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in value.values()
            )
        ):
            for dim, lvl in value.items():
                levels[str(dim)[:80]] = None if lvl is None else float(lvl)
    return levels
