"""Kit texts: the per-language words of a kit and of each of its parts, with the same content-hash
status (missing / up to date / stale) and fallback rules as course translations
(:mod:`courses.services.texts`). Test questions use the course question fields and checks."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select

from courses.models_kits import Kit, KitPart, KitText
from courses.services import texts as course_texts
from courses.services.errors import CourseError
from courses.services.texts import MISSING, STALE, UP_TO_DATE, clean_fields, content_hash
from courses.services.translation import status_counts, with_status
from lms.config import LANGUAGES
from lms.db import db, utcnow
from lms.models import audit

# (required, optional) translatable fields per part type; "question" follows courses.services.texts.
FIELDS = {
    "kit": (("title", "summary", "overview", "objectives"), ("audience", "facilitator_notes")),
    "case_study": (("title", "problem", "action", "results", "lessons"), ("sector",)),
    "practice": (("title", "body"), ()),
    "agenda": (("title",), ("description",)),
    "exercise": (("title", "instructions", "expected_outcome"), ()),
    "discussion": (("prompt",), ("notes",)),
    "handout": (("title", "body"), ()),
    "resource": (("title",), ("description",)),
    "question": course_texts.FIELDS["question"],
}
FIELD_LABELS = {
    "title": _l("Title"), "summary": _l("Summary"), "overview": _l("Overview"),
    "objectives": _l("Learning objectives"), "audience": _l("Audience"),
    "facilitator_notes": _l("Notes for the facilitator"), "sector": _l("Sector"), "problem": _l("Problem"),
    "action": _l("What was done"), "results": _l("Results"), "lessons": _l("Lessons learned"),
    "body": _l("Text"), "description": _l("Description"), "instructions": _l("Instructions"),
    "expected_outcome": _l("Expected outcome"), "prompt": _l("Question"), "notes": _l("Notes"),
    "feedback_correct": _l("Feedback when correct"), "feedback_incorrect": _l("Feedback when not correct"),
}  # fmt: skip
# Fields shown on one line (the others are Markdown text areas).
SHORT_FIELDS = {"title", "sector", "audience"}


def part_type(part: KitPart | None) -> str:
    return "kit" if part is None else part.kind


def qkind(part: KitPart | None) -> str | None:
    return (part.settings or {}).get("qkind") if part is not None and part.kind == "question" else None


def is_complete(ptype: str, fields: dict, source_fields: dict, kind: str | None = None) -> bool:
    if ptype == "question":
        return course_texts.is_complete("question", fields, source_fields, kind)
    required, _optional = FIELDS[ptype]
    return all(fields.get(name) for name in required)


def status_of(ptype: str, target: KitText | None, source: KitText | None, kind: str | None = None) -> str:
    if target is None or not is_complete(ptype, target.fields, source.fields if source else {}, kind):
        return MISSING
    if source is not None and target.source_hash != source.source_hash:
        return STALE
    return UP_TO_DATE


def get_text(part_uuid: str, language: str) -> KitText | None:
    return db.session.scalar(select(KitText).filter_by(part_uuid=part_uuid, language=language))


def texts_of(kit: Kit) -> dict[str, dict[str, KitText]]:
    """Every text row of the kit: part (or kit) UUID -> language -> row."""
    out: dict[str, dict[str, KitText]] = {}
    for row in db.session.scalars(select(KitText).filter_by(kit_id=kit.id)):
        out.setdefault(row.part_uuid, {})[row.language] = row
    return out


def source_fields(kit: Kit, part_uuid: str) -> dict:
    row = get_text(part_uuid, kit.source_language)
    return dict(row.fields) if row is not None else {}


def source_titles(kits: Sequence[Kit]) -> dict[int, str]:
    """Each kit's title in its source language (its short name when it has none), by kit id, in one
    query (lists of kits)."""
    titles = {k.id: k.slug for k in kits}
    if titles:
        rows = db.session.execute(
            select(Kit.id, KitText.fields)
            .join(KitText, and_(KitText.part_uuid == Kit.uuid, KitText.language == Kit.source_language))
            .where(Kit.id.in_(list(titles)))
        )
        titles.update({kit_id: fields.get("title", titles[kit_id]) for kit_id, fields in rows})
    return titles


def set_text(
    kit: Kit,
    part_uuid: str,
    ptype: str,
    language: str,
    fields: dict,
    *,
    actor=None,
    source_hash: str | None = None,
) -> KitText:
    """Create or replace the words of a part in one language (see :func:`courses.services.texts.set_text`
    for the meaning of ``source_hash``). Flushes."""
    fields = clean_fields(fields)
    row = get_text(part_uuid, language)
    if row is None:
        row = KitText(kit_id=kit.id, part_uuid=part_uuid, part_type=ptype, language=language)
        db.session.add(row)
    row.fields, row.part_type = fields, ptype
    row.updated_dt = utcnow()
    row.updated_by_id = actor.id if actor is not None else None
    if language == kit.source_language:
        row.source_hash = content_hash(fields)
    elif source_hash is not None:
        row.source_hash = source_hash
    else:
        src = get_text(part_uuid, kit.source_language)
        row.source_hash = src.source_hash if src is not None else ""
    db.session.flush()
    return row


def delete_texts(part_uuid: str) -> None:
    for row in db.session.scalars(select(KitText).filter_by(part_uuid=part_uuid)).all():
        db.session.delete(row)


# The translation workflow ---------------------------------------------------------------------------


def parts(kit: Kit) -> list[dict]:
    """Every translatable thing in reading order: ``{"uuid", "type", "kind", "part"}``."""
    out = [{"uuid": kit.uuid, "type": "kit", "kind": None, "part": None}]
    for part in sorted(kit.parts, key=lambda p: (p.kind == "question", p.position)):
        out.append({"uuid": part.uuid, "type": part.kind, "kind": qkind(part), "part": part})
    return out


def overview(kit: Kit, language: str) -> list[dict]:
    """Each part with its ``source`` and ``target`` fields and ``status`` in ``language``."""
    rows = texts_of(kit)
    return [
        with_status(entry, rows.get(entry["uuid"], {}), kit.source_language, language, status_of)
        for entry in parts(kit)
    ]


def summary(kit: Kit) -> dict[str, dict[str, int]]:
    """Per language other than the source: how many parts are missing, stale, up to date."""
    return status_counts(parts(kit), texts_of(kit), kit.source_language, status_of)


def find_part(kit: Kit, part_uuid: str) -> dict:
    found = next((p for p in parts(kit) if p["uuid"] == part_uuid), None)
    if found is None:
        raise CourseError(_("This part does not belong to the kit."))
    return found


def check_fields(ptype: str, kind: str | None, fields: dict, source: dict) -> dict:
    """Keep the known fields (questions: options, pairs and steps must follow the source)."""
    if ptype == "question":
        from courses.services.translation import check_fields as check_question

        return check_question("question", kind, fields, source)
    required, optional = FIELDS[ptype]
    allowed = set(required) | set(optional)
    unknown = [k for k in fields if k not in allowed]
    if unknown:
        raise CourseError(_("Unknown fields: %(names)s.", names=", ".join(sorted(unknown))))
    return {k: v for k, v in fields.items() if isinstance(v, str)}


def save_translation(actor, kit: Kit, part_uuid: str, language: str, fields: dict) -> KitText:
    """Save the translation of one part, marked as made from the current source (up to date). Every
    required field must be translated, or all left empty (which removes the translation's words)."""
    if language not in LANGUAGES:
        raise CourseError(_("Unknown language %(code)s.", code=language))
    if language == kit.source_language:
        raise CourseError(_("This is the source language; edit the kit itself."))
    entry = find_part(kit, part_uuid)
    src = get_text(part_uuid, kit.source_language)
    source = src.fields if src else {}
    cleaned = clean_fields(check_fields(entry["type"], entry["kind"], fields, source))
    if any(cleaned.values()) and not is_complete(entry["type"], cleaned, source, entry["kind"]):
        raise course_texts.incomplete_translation(
            FIELDS[entry["type"]][0], FIELD_LABELS, source=source, kind=entry["kind"]
        )
    row = set_text(
        kit,
        part_uuid,
        entry["type"],
        language,
        cleaned,
        actor=actor,
        source_hash=src.source_hash if src else "",
    )
    audit(actor, "courses.kit_translation_saved", "kit", kit.uuid, part=part_uuid, language=language)
    return row
