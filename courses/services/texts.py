"""Language-aware texts: per-language variants of one translatable thing, content hashes, translation
status (missing / up to date / stale), and the learner's fallback to the source language.

Reusable by any content with UUID-keyed translatable parts (courses now, workshop kits later).
"""

from __future__ import annotations

import hashlib
import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courses.models import Translation
from courses.services.errors import CourseError
from lms.config import LANGUAGES
from lms.db import db, utcnow
from lms.i18n import list_text

# Required and optional translatable fields per thing. Questions add kind-specific structured fields.
FIELDS = {
    "course": (("title", "summary"), ("audience",)),
    "unit": (("title",), ()),
    "lesson": (("title", "body"), ()),
    "quiz": (("title",), ("intro",)),
    "package": (("title",), ("description",)),
    "question": (("prompt",), ("feedback_correct", "feedback_incorrect")),
}

# What the translation form calls each field (a refusal names the fields the way the author sees them).
FIELD_LABELS = {
    "title": _l("Title"), "summary": _l("Summary"), "audience": _l("Audience"), "body": _l("Text (Markdown)"),
    "intro": _l("Introduction"), "description": _l("Description"), "prompt": _l("Question"),
    "feedback_correct": _l("Feedback when correct"), "feedback_incorrect": _l("Feedback when not correct"),
}  # fmt: skip


def incomplete_translation(required, labels=FIELD_LABELS, *, source=None, kind=None) -> CourseError:
    """The refusal of a translation that fills some required fields but not all, naming the required
    fields by their labels in the reader's language ("Título y Resumen"), never by their keys. Options
    are mentioned only for a part that has some (a question's options, pairs, steps or answers)."""
    fields = list_text(labels.get(name, name) for name in required)
    if kind == "fillin" or any((source or {}).get(key) for key in ("options", "pairs", "items")):
        return CourseError(
            _(
                "Translate every required field (%(fields)s, and each option) or leave them all empty.",
                fields=fields,
            )
        )
    return CourseError(
        _("Translate every required field (%(fields)s) or leave them all empty.", fields=fields)
    )


MISSING, UP_TO_DATE, STALE, SOURCE = "missing", "up_to_date", "stale", "source"
STATUS_LABELS = {
    MISSING: _l("missing"),
    UP_TO_DATE: _l("up to date"),
    STALE: _l("stale"),
    SOURCE: _l("source"),
}


def content_hash(value) -> str:
    """A stable SHA-256 of any JSON-serialisable value (dict key order does not matter)."""
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def language_name(code: str) -> str:
    return LANGUAGES.get(code, (code, "ltr"))[0]


def clean_fields(fields: dict) -> dict:
    """Strip strings; drop empty optional values so that "absent" and "empty" hash the same."""
    out = {}
    for key, value in fields.items():
        if isinstance(value, str):
            value = value.strip().replace("\r\n", "\n")
            if value:
                out[key] = value
        elif value not in (None, [], {}):
            out[key] = value
    return out


def get_translation(item_uuid: str, language: str) -> Translation | None:
    return db.session.scalar(select(Translation).filter_by(item_uuid=item_uuid, language=language))


def translations_for(item_uuid: str) -> dict[str, Translation]:
    rows = db.session.scalars(select(Translation).filter_by(item_uuid=item_uuid)).all()
    return {t.language: t for t in rows}


def course_titles(courses, language: str) -> dict[int, str]:
    """``{course id: title}`` of the courses' drafts in ``language``, else in their source language (one
    query, for lists of many modules; the short name when a course has no title yet)."""
    by_uuid = {c.uuid: c for c in courses}
    texts: dict[str, dict[str, dict]] = {}
    if by_uuid:
        rows = db.session.scalars(
            select(Translation).where(Translation.item_uuid.in_(by_uuid), Translation.item_type == "course")
        )
        for row in rows:
            texts.setdefault(row.item_uuid, {})[row.language] = row.fields
    return {
        c.id: pick(texts.get(uuid, {}), language, c.source_language)[0].get("title") or c.slug
        for uuid, c in by_uuid.items()
    }


def set_text(
    *,
    course_id: int | None,
    item_uuid: str,
    item_type: str,
    language: str,
    fields: dict,
    source_language: str,
    actor=None,
    source_hash: str | None = None,
) -> Translation:
    """Create or replace the words of ``item_uuid`` in ``language``. In the source language the row's
    ``source_hash`` is the hash of its own fields; in another language it records the hash of the
    source it was translated from (``source_hash`` given, or the current source's). Flushes."""
    fields = clean_fields(fields)
    row = get_translation(item_uuid, language)
    if row is None:
        row = Translation(course_id=course_id, item_uuid=item_uuid, item_type=item_type, language=language)
        db.session.add(row)
    row.fields = fields
    row.item_type = item_type
    row.updated_dt = utcnow()
    row.updated_by_id = actor.id if actor is not None else None
    if language == source_language:
        row.source_hash = content_hash(fields)
    elif source_hash is not None:
        row.source_hash = source_hash
    else:
        src = get_translation(item_uuid, source_language)
        row.source_hash = src.source_hash if src is not None else ""
    db.session.flush()
    return row


def delete_texts(item_uuid: str) -> None:
    for row in db.session.scalars(select(Translation).filter_by(item_uuid=item_uuid)).all():
        db.session.delete(row)


def status_of(
    item_type: str, target: Translation | None, source: Translation | None, kind: str | None = None
) -> str:
    """``missing`` when a required field is empty; ``stale`` when the source changed since the
    translation was made; otherwise ``up to date``."""
    if target is None or not is_complete(item_type, target.fields, source.fields if source else {}, kind):
        return MISSING
    if source is not None and target.source_hash != source.source_hash:
        return STALE
    return UP_TO_DATE


def is_complete(item_type: str, fields: dict, source_fields: dict, kind: str | None = None) -> bool:
    """Every required field present (for questions: every option/pair/item the source has)."""
    required, _optional = FIELDS[item_type]
    if any(not fields.get(name) for name in required):
        return False
    if item_type == "question":
        for key in ("options", "pairs", "items"):
            src = source_fields.get(key) or {}
            tgt = fields.get(key) or {}
            for ident, value in src.items():
                if isinstance(value, dict):
                    needed = [k for k in ("text", "source", "target") if value.get(k)]
                    if any(not (tgt.get(ident) or {}).get(k) for k in needed):
                        return False
                elif not tgt.get(ident):
                    return False
        if kind == "fillin" and not fields.get("accepted"):
            return False
    return True


def pick(texts: dict[str, dict], language: str, source_language: str) -> tuple[dict, str, bool]:
    """The fields to show a learner: their language when present, else the source language.
    Returns ``(fields, language shown, is_fallback)``."""
    if language in texts:
        return texts[language], language, False
    if source_language in texts:
        return texts[source_language], source_language, language != source_language
    if texts:
        lang = next(iter(texts))
        return texts[lang], lang, True
    return {}, source_language, language != source_language
