"""The translation workflow: every translatable part of a course in order, with its status in a target
language (missing / up to date / stale, by content hash), and saving a translation side by side with
its source."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from courses.models import Course, Question, Translation
from courses.services.errors import CourseError
from courses.services.texts import (
    FIELDS,
    MISSING,
    STALE,
    UP_TO_DATE,
    clean_fields,
    incomplete_translation,
    is_complete,
    set_text,
    status_of,
)
from lms.config import LANGUAGES
from lms.db import db
from lms.models import audit


def parts(course: Course) -> list[dict]:
    """Every translatable part in reading order: ``{"uuid", "type", "kind", "slug", "question"}``."""
    out = [{"uuid": course.uuid, "type": "course", "kind": None, "slug": course.slug, "question": None}]
    for unit in course.units:
        out.append({"uuid": unit.uuid, "type": "unit", "kind": None, "slug": "", "question": None})
        for item in unit.items:
            out.append(
                {"uuid": item.uuid, "type": item.kind, "kind": None, "slug": item.slug, "question": None}
            )
            for q in item.questions:
                out.append(
                    {"uuid": q.uuid, "type": "question", "kind": q.kind, "slug": item.slug, "question": q}
                )
    return out


def _rows(course: Course) -> dict[str, dict[str, Translation]]:
    out: dict[str, dict[str, Translation]] = {}
    for row in db.session.scalars(select(Translation).filter_by(course_id=course.id)):
        out.setdefault(row.item_uuid, {})[row.language] = row
    return out


def with_status(part: dict, by_lang: dict, source_language: str, language: str, status=status_of) -> dict:
    """A part (of a course or a kit) with its ``source`` and ``target`` fields and its ``status`` in
    ``language``; ``by_lang`` holds its text rows by language, ``status`` is the course's or the kit's
    ``status_of`` (their required fields differ)."""
    source, target = by_lang.get(source_language), by_lang.get(language)
    return dict(
        part,
        source=source.fields if source else {},
        target=target.fields if target else {},
        status=status(part["type"], target, source, part["kind"]),
    )


def status_counts(
    all_parts: list[dict], rows: dict, source_language: str, status=status_of
) -> dict[str, dict[str, int]]:
    """Per language other than the source: how many of ``all_parts`` are missing, stale, up to date
    (``rows``: part uuid -> language -> text row; ``status`` as in :func:`with_status`)."""
    out = {}
    for lang in LANGUAGES:
        if lang == source_language:
            continue
        counts = {MISSING: 0, STALE: 0, UP_TO_DATE: 0}
        for part in all_parts:
            by_lang = rows.get(part["uuid"], {})
            counts[status(part["type"], by_lang.get(lang), by_lang.get(source_language), part["kind"])] += 1
        out[lang] = counts
    return out


def overview(course: Course, language: str) -> list[dict]:
    """Each part with ``source`` and ``target`` fields, its ``status`` in ``language`` and when the
    translation was last changed (``updated_dt``)."""
    rows = _rows(course)
    out = []
    for part in parts(course):
        by_lang = rows.get(part["uuid"], {})
        target = by_lang.get(language)
        out.append(
            dict(
                with_status(part, by_lang, course.source_language, language),
                updated_dt=target.updated_dt if target else None,
            )
        )
    return out


def summary(course: Course) -> dict[str, dict[str, int]]:
    """Per language (other than the source): how many parts are missing, stale, up to date."""
    return status_counts(parts(course), _rows(course), course.source_language)


def _part(course: Course, item_uuid: str) -> dict:
    found = next((p for p in parts(course) if p["uuid"] == item_uuid), None)
    if found is None:
        raise CourseError(_("This part does not belong to the module."))
    return found


def check_fields(part_type: str, kind: str | None, fields: dict, source: dict) -> dict:
    """Keep only known fields; the structure of options, pairs and steps must follow the source."""
    required, optional = FIELDS[part_type]
    allowed = set(required) | set(optional)
    out = {k: v for k, v in fields.items() if k in allowed and isinstance(v, str)}
    unknown = [k for k in fields if k not in allowed and k not in ("options", "pairs", "items", "accepted")]
    if unknown:
        raise CourseError(_("Unknown fields: %(names)s.", names=", ".join(sorted(unknown))))
    if part_type == "question":
        for key, sub in (("options", ("text", "feedback")), ("pairs", ("source", "target"))):
            if key in fields:
                value = fields[key] or {}
                if not isinstance(value, dict) or set(value) - set(source.get(key) or {}):
                    raise CourseError(_("The translation's options do not match the source question."))
                out[key] = {
                    i: {k: str(v.get(k) or "").strip() for k in sub if str(v.get(k) or "").strip()}
                    for i, v in value.items()
                    if isinstance(v, dict)
                }
        if "items" in fields:
            value = fields["items"] or {}
            if not isinstance(value, dict) or set(value) - set(source.get("items") or {}):
                raise CourseError(_("The translation's steps do not match the source question."))
            out["items"] = {i: str(v).strip() for i, v in value.items() if str(v or "").strip()}
        if "accepted" in fields and kind == "fillin":
            accepted = fields["accepted"]
            if isinstance(accepted, str):
                accepted = accepted.splitlines()
            out["accepted"] = [str(a).strip() for a in accepted if str(a).strip()]
    return out


def save_translation(
    actor, course: Course, item_uuid: str, language: str, fields: dict, *, source_hash: str | None = None
) -> Translation:
    """Save the translation of one part. It is marked as made from the current source (up to date)
    unless ``source_hash`` says otherwise (imports keep staleness)."""
    if language not in LANGUAGES:
        raise CourseError(_("Unknown language %(code)s.", code=language))
    if language == course.source_language:
        raise CourseError(_("This is the source language; edit the module itself."))
    part = _part(course, item_uuid)
    src = db.session.scalar(
        select(Translation).filter_by(item_uuid=item_uuid, language=course.source_language)
    )
    source = src.fields if src else {}
    cleaned = clean_fields(check_fields(part["type"], part["kind"], fields, source))
    if not is_complete(part["type"], cleaned, source, part["kind"]) and any(cleaned.values()):
        raise incomplete_translation(FIELDS[part["type"]][0], source=source, kind=part["kind"])
    row = set_text(
        course_id=course.id,
        item_uuid=item_uuid,
        item_type=part["type"],
        language=language,
        fields=cleaned,
        source_language=course.source_language,
        actor=actor,
        source_hash=source_hash if source_hash is not None else (src.source_hash if src else ""),
    )
    audit(actor, "courses.translation_saved", "course", course.uuid, part=item_uuid, language=language)
    return row


def question_of(course: Course, item_uuid: str) -> Question | None:
    part = _part(course, item_uuid)
    return part["question"]


__all__ = ["MISSING", "STALE", "UP_TO_DATE", "overview", "parts", "save_translation", "summary"]
