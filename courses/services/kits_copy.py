"""Copying a kit to adapt it for a region: a new draft kit, the copier's, with the same parts, texts and
translations under new ids. The kit's team copies its draft; any other trainer copies the version
visitors see, never the team's unpublished changes."""

from __future__ import annotations

from flask_babel import gettext as _

from courses.models_kits import Kit, KitPart
from courses.services.errors import CourseError
from courses.services.kits import MAX_SHORT, check_kit_slug
from courses.services.kits_snapshot import get_version, is_visible
from courses.services.kits_texts import set_text, texts_of
from courses.services.teams import make_owner
from lms.db import db
from lms.models import audit


def copy_kit(
    actor, kit: Kit, *, slug: str, region: str, title: str, published: bool = False, with_test: bool = True
) -> Kit:
    """A new draft kit copied from ``kit``: its published version when ``published`` (what a trainer
    outside the kit's team may copy; refused when the kit is not published), else its draft. Without
    ``with_test`` the test's questions and the exercises' expected outcomes stay behind (they are not
    the copier's to read: :func:`courses.permissions.may_see_answer_keys`); the copy's team writes its
    own.
    Translation status carries over: a translation up to date in the original is up to date in the
    copy. Flushes."""
    title = str(title or "").strip()
    if not title or len(title) > MAX_SHORT:
        raise CourseError(_("Give the copy a title (at most %(n)s characters).", n=MAX_SHORT))
    region = str(region or "").strip()
    if not region:
        raise CourseError(_("Say which region or country the copy is adapted for."))
    if published and not is_visible(kit):
        raise CourseError(_("Only a published kit can be copied."))
    source = _published_source(kit) if published else _draft_source(kit)
    copy = Kit(
        slug=check_kit_slug(slug),
        source_language=kit.source_language,
        articles=list(source["articles"]),
        region=region[:120],
        pass_mark=source["pass_mark"],
        copied_from_id=kit.id,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(copy)
    db.session.flush()
    src = kit.source_language

    def copy_texts(new_uuid: str, ptype: str, texts: dict[str, tuple[dict, str | None]]) -> None:
        for lang in sorted(texts, key=lambda code: code != src):
            fields, source_hash = texts[lang]
            if new_uuid == copy.uuid and lang == src:
                fields = {**fields, "title": title}
            set_text(copy, new_uuid, ptype, lang, dict(fields), actor=actor, source_hash=source_hash)

    copy_texts(copy.uuid, "kit", source["texts"])
    positions: dict[str, int] = {}
    for kind, settings, texts in source["parts"]:
        if kind == "question" and not with_test:
            continue
        if kind == "exercise" and not with_test:
            texts = {lang: ({**fields, "expected_outcome": ""}, h) for lang, (fields, h) in texts.items()}
        positions[kind] = positions.get(kind, 0) + 1
        new = KitPart(kit=copy, kind=kind, position=positions[kind], settings=settings)
        db.session.add(new)
        db.session.flush()
        copy_texts(new.uuid, kind, texts)
    audit(actor, "courses.kit_copied", "kit", copy.uuid, source=kit.uuid, region=copy.region)
    make_owner(actor, copy, actor)  # the copy is the copier's; the original's team is not carried over
    db.session.flush()
    return copy


def copy_title(kit: Kit, *, published: bool) -> str:
    """The title a copy starts from: the published one for trainers outside the kit's team."""
    source = _published_source(kit) if published and is_visible(kit) else None
    texts = source["texts"] if source is not None else _draft_source(kit)["texts"]
    fields, _hash = texts.get(kit.source_language, ({}, None))
    return fields.get("title", "")


def _draft_source(kit: Kit) -> dict:
    """The draft as the copy reads it: parts as (kind, settings, texts), texts per language as
    (fields, the translation's source hash)."""
    rows = texts_of(kit)

    def texts(uuid: str) -> dict:
        return {lang: (dict(row.fields), row.source_hash) for lang, row in rows.get(uuid, {}).items()}

    return {
        "articles": kit.articles or [],
        "pass_mark": kit.pass_mark,
        "texts": texts(kit.uuid),
        "parts": [(p.kind, dict(p.settings or {}), texts(p.uuid)) for p in kit.parts],
    }


def _published_source(kit: Kit) -> dict:
    """The published version as the copy reads it (see :func:`_draft_source`). A translation keeps its
    draft row's status when the row still holds the published words; otherwise what it was made from
    is not known (a complete but stale translation is published too), so it counts as stale, to be
    checked by whoever adapts the copy."""
    snapshot = get_version(kit).snapshot
    rows = texts_of(kit)

    def texts(uuid: str, published: dict) -> dict:
        out = {}
        for lang, fields in published.items():
            row = rows.get(uuid, {}).get(lang)
            same = row is not None and dict(row.fields) == fields
            out[lang] = (fields, row.source_hash if same else "")
        return out

    parts = [(p["kind"], dict(p["settings"]), texts(p["uuid"], p["texts"])) for p in snapshot["parts"]]
    parts += [
        (
            "question",
            {"qkind": q["kind"], "points": q["points"], "spec": q["spec"]},
            texts(q["uuid"], q["texts"]),
        )
        for q in snapshot["questions"]
    ]
    return {
        "articles": snapshot["articles"],
        "pass_mark": snapshot["pass_mark"],
        "texts": texts(snapshot["uuid"], snapshot["texts"]),
        "parts": parts,
    }
