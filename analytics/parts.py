"""Names of the parts of a resource (a lesson, a quiz, a question, a recording) for the reader.

A part is written relative to its resource's activity, e.g. ``lesson/<key>`` under
``<base>/xapi/activities/course/<key>/``. Its name is the one the statement store keeps in the
activity's definition, in the reader's language (else English, else any), else the title of the
registry resource it is (a webinar's chapter); a part without a name is called by its type ("Lesson",
"Quiz"), never by its internal key."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from analytics.labels import pick_text
from lms.db import db
from lms.i18n import current_language
from lms.registry import LearningResource
from lms.xapi.models import ActivityDefinition

PART_TYPES = {
    "lesson": _l("Lesson"),
    "quiz": _l("Quiz"),
    "question": _l("Question"),
    "recording": _l("Recording"),
    "qa": _l("Question from the audience"),
    "chapter": _l("Chapter"),
    "pre-test": _l("Pre-test"),
    "post-test": _l("Post-test"),
}
NAMED_PARTS = {"quiz/final": _l("Final quiz")}
PART_KINDS = ("webinar_chapter",)  # registry kinds that are parts of another resource
MAX_PARTS = 500


def _base() -> str:
    return current_app.config["BASE_URL"].rstrip("/") + "/xapi/activities/"


def _candidates(ref: str, part: str) -> list[str]:
    """Activity IRIs that ``part`` of ``ref`` may stand for (a bare key: a lesson, question or quiz)."""
    kind, _sep, key = ref.partition(":")
    root = f"{_base()}{kind}/{key}/"
    if "/" in part:
        return [root + part]
    return [root + part, *(f"{root}{t}/{part}" for t in ("lesson", "question", "quiz"))]


def fallback_label(part: str) -> str:
    """What a part without a recorded name is called: its type, or the part itself when unknown."""
    if part in NAMED_PARTS:
        return str(NAMED_PARTS[part])
    kind = part.split("/", 1)[0] if "/" in part else ""
    return str(PART_TYPES[kind]) if kind in PART_TYPES else part


def part_labels(pairs: Iterable[tuple[str, str]], lang: str | None = None) -> dict[str, str]:
    """``{"kind:key|part": name}`` for ``(resource ref, part)`` pairs, in ``lang`` (the reader's)."""
    lang = lang or current_language()
    pairs = sorted({(ref, part) for ref, part in pairs if ref and part})[:MAX_PARTS]
    wanted = {pair: _candidates(*pair) for pair in pairs}
    iris = sorted({iri for candidates in wanted.values() for iri in candidates})
    names = {}
    if iris:
        stmt = select(ActivityDefinition.activity_id, ActivityDefinition.definition).where(
            ActivityDefinition.activity_id.in_(iris)
        )
        names = {iri: (d or {}).get("name") for iri, d in db.session.execute(stmt)}
    registered = _registry_titles({part.rsplit("/", 1)[-1] for _ref, part in pairs}, lang)
    out = {}
    for (ref, part), candidates in wanted.items():
        # every name recorded for the part, whichever IRI it came under (the first IRI's first): the
        # reader's language, else English, else any is then chosen among all of them
        found: dict = {}
        for iri in reversed(candidates):
            if isinstance(names.get(iri), dict):
                found.update({lang: text for lang, text in names[iri].items() if text})
        fallback = registered.get(part.rsplit("/", 1)[-1]) or fallback_label(part)
        out[f"{ref}|{part}"] = pick_text(found, lang, fallback)
    return out


def _registry_titles(keys: set[str], lang: str) -> dict[str, str]:
    """Titles of parts that are resources of the registry themselves (a webinar's chapters), by key."""
    if not keys:
        return {}
    stmt = select(LearningResource).where(
        LearningResource.kind.in_(PART_KINDS), LearningResource.key.in_(sorted(keys))
    )
    return {res.key: res.title(lang) for res in db.session.scalars(stmt)}


def names_by_part(ref: str | None, rows: list, ref_col: int | None, part_col: int) -> dict[str, str]:
    """``{part: name}`` for a table's rows (``ref`` for all of them, or each row's ``ref_col``)."""
    pairs = [((row[ref_col] if ref_col is not None else ref), row[part_col]) for row in rows]
    labels = part_labels(pairs)
    return {part: labels[f"{r}|{part}"] for r, part in pairs if r and part}
