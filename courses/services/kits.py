"""Authoring kits (trainers): the kit itself, its parts and test questions, their order and deletion
(copies: :mod:`courses.services.kits_copy`). Every change is audited; services flush only and raise
:class:`CourseError` with the reason when they refuse."""

from __future__ import annotations

from urllib.parse import urlparse

from flask_babel import gettext as _
from sqlalchemy import func, select

from courses.models_kits import PART_KINDS, RESOURCE_TYPES, Kit, KitPart
from courses.services import questions as qs
from courses.services.authoring import check_slug, parse_articles
from courses.services.errors import CourseError
from courses.services.kits_files import FILE_RESOURCE_TYPES, check_kit_total, save_kit_file
from courses.services.kits_texts import FIELD_LABELS, FIELDS, delete_texts, set_text, source_fields
from courses.services.teams import make_owner
from lms.config import LANGUAGES
from lms.db import db, new_uuid
from lms.models import Country, audit

MAX_SHORT = 300
MAX_LONG = 50_000
KIT_FIELD_NAMES = FIELDS["kit"][0] + FIELDS["kit"][1]


def kit_by_slug(slug: str) -> Kit | None:
    return db.session.scalar(select(Kit).filter_by(slug=slug))


def check_kit_slug(slug: str, kit: Kit | None = None) -> str:
    slug = check_slug(slug)
    other = kit_by_slug(slug)
    if other is not None and (kit is None or other.id != kit.id):
        raise CourseError(_("Another kit already uses the short name %(slug)s.", slug=slug))
    return slug


def check_fields(ptype: str, fields: dict) -> dict:
    """Source-language fields of a part: required ones present, lengths within bounds."""
    required, optional = FIELDS[ptype]
    out = {}
    for name in (*required, *optional):
        value = str(fields.get(name) or "").strip()
        limit = MAX_SHORT if name in ("title", "sector", "audience") else MAX_LONG
        if name in required and not value:
            raise CourseError(_("%(field)s is required.", field=FIELD_LABELS.get(name, name)))
        if len(value) > limit:
            raise CourseError(
                _(
                    "%(field)s is too long (at most %(n)s characters).",
                    field=FIELD_LABELS.get(name, name),
                    n=limit,
                )
            )
        out[name] = value
    return out


def _minutes(value, default=None) -> int:
    if value in (None, "") and default is not None:
        return default
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        raise CourseError(_("The duration must be a whole number of minutes."), field="minutes") from None
    if not 1 <= minutes <= 600:
        raise CourseError(_("The duration must be between 1 and 600 minutes."), field="minutes")
    return minutes


def check_settings(
    kind: str, settings: dict, current_file: dict | None = None, *, kit=None, part_uuid=None
) -> dict:
    """The language-neutral settings of a part (see :class:`courses.models_kits.KitPart`); a resource
    being edited keeps ``current_file`` unless an address or another file replaces it. A file uploaded
    to a part (``part_uuid``, None for a new one) of ``kit`` must keep the kit's files within their
    total."""
    settings = settings or {}
    if kind == "case_study":
        code = str(settings.get("country") or "").strip().upper()
        if code and db.session.get(Country, code) is None:
            raise CourseError(_("Unknown country code %(code)s.", code=code), field="country")
        return {"country": code} if code else {}
    if kind == "agenda":
        return {"minutes": _minutes(settings.get("minutes"))}
    if kind == "exercise":
        return {"minutes": _minutes(settings.get("minutes"), default=30)}
    if kind == "resource":
        return _resource_settings(settings, current_file, kit=kit, part_uuid=part_uuid)
    return {}


def _resource_settings(settings: dict, current_file: dict | None, *, kit=None, part_uuid=None) -> dict:
    """A resource's ``type`` and either its ``url`` or its ``file``: a new ``upload`` (``(file name,
    bytes)``, checked, then stored last), else the address typed, else the ``current_file`` kept."""
    rtype = settings.get("type") or "link"
    if rtype not in RESOURCE_TYPES:
        raise CourseError(_("Unknown resource type %(type)s.", type=rtype), field="type")
    url = str(settings.get("url") or "").strip()
    upload = settings.get("upload")
    if upload and url:
        raise CourseError(_("Give an address or upload a file, not both."), field="url")
    if url:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 1000:
            raise CourseError(
                _("The address of a resource must start with http:// or https://."), field="url"
            )
        return {"url": url, "type": rtype}
    if not upload and not current_file:
        raise CourseError(_("Give the address of the resource or upload a file."), field="url")
    if rtype not in FILE_RESOURCE_TYPES:
        raise CourseError(
            _("Only slides and documents can be an uploaded file: choose one of these types."),
            field="type",
        )
    if upload and kit is not None:
        check_kit_total(kit.parts, upload[1], replacing=part_uuid)
    meta = save_kit_file(*upload) if upload else dict(current_file)
    return {"type": rtype, "file": meta}


def _check_pass_mark(value) -> int:
    try:
        mark = int(value)
    except (TypeError, ValueError):
        raise CourseError(_("The pass mark must be a number from 0 to 100.")) from None
    if not 0 <= mark <= 100:
        raise CourseError(_("The pass mark must be a number from 0 to 100."))
    return mark


def create_kit(
    actor,
    *,
    slug: str,
    source_language: str,
    articles=(),
    region: str = "",
    pass_mark=70,
    uuid: str | None = None,
    **fields,
) -> Kit:
    """A new draft kit; ``fields`` are the kit's texts in its source language (title, summary, overview,
    objectives, audience, facilitator_notes)."""
    if source_language not in LANGUAGES:
        raise CourseError(_("Unknown language %(code)s.", code=source_language))
    kit = Kit(
        uuid=uuid or new_uuid(),
        slug=check_kit_slug(slug),
        source_language=source_language,
        articles=parse_articles(articles),
        region=str(region or "").strip()[:120],
        pass_mark=_check_pass_mark(pass_mark),
        created_by_id=actor.id if actor else None,
    )
    texts = check_fields("kit", fields)
    db.session.add(kit)
    db.session.flush()
    set_text(kit, kit.uuid, "kit", source_language, texts, actor=actor)
    audit(actor, "courses.kit_created", "kit", kit.uuid, slug=kit.slug)
    make_owner(actor, kit, actor)
    return kit


def update_kit(actor, kit: Kit, *, slug: str, articles=(), region: str = "", pass_mark=70, **fields) -> None:
    texts = check_fields("kit", fields)
    kit.slug = check_kit_slug(slug, kit)
    kit.articles = parse_articles(articles)
    kit.region = str(region or "").strip()[:120]
    kit.pass_mark = _check_pass_mark(pass_mark)
    set_text(kit, kit.uuid, "kit", kit.source_language, texts, actor=actor)
    audit(actor, "courses.kit_updated", "kit", kit.uuid)
    db.session.flush()


def _next_position(kit: Kit, kind: str) -> int:
    return (
        db.session.scalar(select(func.max(KitPart.position)).filter_by(kit_id=kit.id, kind=kind)) or 0
    ) + 1


def add_part(
    actor, kit: Kit, kind: str, *, fields: dict, settings: dict | None = None, uuid: str | None = None
) -> KitPart:
    if kind not in PART_KINDS or kind == "question":
        raise CourseError(_("Unknown kind of part %(kind)s.", kind=kind))
    texts = check_fields(kind, fields)
    part = KitPart(
        uuid=uuid or new_uuid(),
        kit=kit,
        kind=kind,
        position=_next_position(kit, kind),
        settings=check_settings(kind, settings or {}, kit=kit),
    )
    db.session.add(part)
    db.session.flush()
    set_text(kit, part.uuid, kind, kit.source_language, texts, actor=actor)
    audit(actor, "courses.kit_part_added", "kit", kit.uuid, part=part.uuid, kind=kind, **_file_of(part))
    return part


def _file_of(part: KitPart) -> dict:
    """The audit detail of a resource's file (its name and digest), when it has one."""
    meta = (part.settings or {}).get("file")
    return {"filename": meta["name"], "sha256": meta["sha256"]} if meta else {}


def update_part(actor, part: KitPart, *, fields: dict, settings: dict | None = None) -> None:
    if part.kind == "question":
        raise CourseError(_("Edit a question with the question form."))
    texts = check_fields(part.kind, fields)
    part.settings = check_settings(
        part.kind, settings or {}, (part.settings or {}).get("file"), kit=part.kit, part_uuid=part.uuid
    )
    set_text(part.kit, part.uuid, part.kind, part.kit.source_language, texts, actor=actor)
    audit(actor, "courses.kit_part_updated", "kit", part.kit.uuid, part=part.uuid, **_file_of(part))
    db.session.flush()


def add_question(actor, kit: Kit, *, kind: str, data: dict, uuid: str | None = None) -> KitPart:
    """A test question, checked by the modules' quiz engine (:func:`questions.normalise_question`)."""
    spec, fields = qs.normalise_question(kind, data)
    points = fields.pop("points")
    part = KitPart(
        uuid=uuid or new_uuid(),
        kit=kit,
        kind="question",
        position=_next_position(kit, "question"),
        settings={"qkind": kind, "points": points, "spec": spec},
    )
    db.session.add(part)
    db.session.flush()
    set_text(kit, part.uuid, "question", kit.source_language, fields, actor=actor)
    audit(actor, "courses.kit_question_added", "kit", kit.uuid, part=part.uuid, kind=kind)
    return part


def update_question(actor, part: KitPart, *, data: dict) -> None:
    kind = part.settings.get("qkind")
    spec, fields = qs.normalise_question(kind, data)
    points = fields.pop("points")
    part.settings = {"qkind": kind, "points": points, "spec": spec}
    set_text(part.kit, part.uuid, "question", part.kit.source_language, fields, actor=actor)
    audit(actor, "courses.kit_question_updated", "kit", part.kit.uuid, part=part.uuid)
    db.session.flush()


def delete_part(actor, part: KitPart) -> None:
    kit = part.kit
    delete_texts(part.uuid)
    kit.parts.remove(part)
    db.session.flush()
    _renumber([p for p in kit.parts if p.kind == part.kind])
    audit(actor, "courses.kit_part_deleted", "kit", kit.uuid, part=part.uuid, kind=part.kind)
    db.session.flush()


def move_part(actor, part: KitPart, direction: str) -> None:
    """Move a part up or down among the parts of its kind."""
    if direction not in ("up", "down"):
        raise CourseError(_("Unknown direction."))
    same = sorted((p for p in part.kit.parts if p.kind == part.kind), key=lambda p: p.position)
    idx = same.index(part)
    other = idx - 1 if direction == "up" else idx + 1
    if 0 <= other < len(same):
        same[idx], same[other] = same[other], same[idx]
    _renumber(same)
    audit(actor, "courses.kit_part_moved", "kit", part.kit.uuid, part=part.uuid, direction=direction)
    db.session.flush()


def _renumber(rows) -> None:
    for n, row in enumerate(rows, start=1):
        row.position = n


def kit_fields(kit: Kit) -> dict:
    return source_fields(kit, kit.uuid)
