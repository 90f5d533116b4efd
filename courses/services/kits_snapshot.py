"""Kit snapshots and publishing: the whole kit (every part, every language) as one JSON document, frozen
into an immutable :class:`courses.models_kits.KitVersion` when published; :class:`KitView` reads a
snapshot in one language with fallback to the source language (the kit page, the offline bundle and a
trainer's preview of the draft all use it)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import and_, select

from courses.models_kits import Kit, KitVersion
from courses.services.errors import CourseError
from courses.services.kits_texts import is_complete, texts_of
from courses.services.publishing import add_version, list_resource, mark_published, withdraw
from courses.services.snapshot import SnapshotView
from courses.services.texts import content_hash
from lms.db import db

FORMAT = 1


def _usable(rows: dict, ptype: str, source_language: str, kind=None) -> dict[str, dict]:
    """Per-language fields worth showing: the source always, translations when complete."""
    source = rows.get(source_language)
    src_fields = source.fields if source is not None else {}
    return {
        lang: dict(row.fields)
        for lang, row in rows.items()
        if lang == source_language or is_complete(ptype, row.fields, src_fields, kind)
    }


def build_snapshot(kit: Kit) -> dict:
    rows = texts_of(kit)
    src = kit.source_language
    parts, questions = [], []
    for part in kit.parts:
        settings = dict(part.settings or {})
        if part.kind == "question":
            kind = settings.get("qkind")
            questions.append(
                {
                    "uuid": part.uuid,
                    "kind": kind,
                    "points": float(settings.get("points", 1)),
                    "spec": dict(settings.get("spec") or {}),
                    "texts": _usable(rows.get(part.uuid, {}), "question", src, kind),
                }
            )
        else:
            parts.append(
                {
                    "uuid": part.uuid,
                    "kind": part.kind,
                    "settings": settings,
                    "texts": _usable(rows.get(part.uuid, {}), part.kind, src),
                }
            )
    kit_texts = _usable(rows.get(kit.uuid, {}), "kit", src)
    everything = [*parts, *questions]
    languages = sorted(lang for lang in kit_texts if all(lang in p["texts"] for p in everything))
    return {
        "format": FORMAT,
        "uuid": kit.uuid,
        "slug": kit.slug,
        "source_language": src,
        "articles": sorted(int(a) for a in kit.articles or []),
        "region": kit.region or "",
        "pass_mark": int(kit.pass_mark),
        "copied_from": kit.copied_from.slug if kit.copied_from else None,
        "languages": languages,
        "texts": kit_texts,
        "parts": parts,
        "questions": questions,
    }


class KitView(SnapshotView):
    """A kit snapshot read in one language, with the source language as fallback."""

    @property
    def kit_texts(self) -> dict:
        return self.own_texts

    @property
    def shown(self) -> str:
        return self.texts(self.s["texts"])[1]

    @property
    def is_partial(self) -> bool:
        """Some part is shown in the source language (the kit is not fully translated)."""
        return self.language not in self.s["languages"]

    def parts(self, kind: str) -> list[dict]:
        """The parts of one kind, each with ``t`` (fields), ``shown`` and ``fallback`` added."""
        if kind == "question":
            items = self.s["questions"]
        else:
            items = [p for p in self.s["parts"] if p["kind"] == kind]
        out = []
        for part in items:
            fields, shown, fallback = self.texts(part["texts"])
            out.append(dict(part, t=fields, shown=shown, fallback=fallback))
        return out

    def agenda_minutes(self) -> int:
        return sum(int(p["settings"].get("minutes") or 0) for p in self.s["parts"] if p["kind"] == "agenda")

    def question(self, uuid: str) -> dict | None:
        return next((q for q in self.s["questions"] if q["uuid"] == uuid), None)

    def titles(self) -> dict[str, str]:
        return {lang: t["title"] for lang, t in self.s["texts"].items() if t.get("title")}


# Publishing ------------------------------------------------------------------------------------------


def get_version(kit: Kit, number: int | None = None) -> KitVersion | None:
    number = kit.published_version if number is None else number
    if number is None:
        return None
    return db.session.scalar(select(KitVersion).filter_by(kit_id=kit.id, number=number))


def latest_version(kit: Kit) -> KitVersion | None:
    return db.session.scalar(
        select(KitVersion).filter_by(kit_id=kit.id).order_by(KitVersion.number.desc()).limit(1)
    )


def published_view(kit: Kit, language: str, number: int | None = None) -> KitView | None:
    version = get_version(kit, number)
    if version is None:
        return None
    return KitView(version.snapshot, language, version=version.number)


def published_views(kits: Sequence[Kit], language: str) -> dict[int, KitView]:
    """:func:`published_view` of each kit that has a published version, by kit id, in one query."""
    ids = [k.id for k in kits if k.published_version is not None]
    if not ids:
        return {}
    versions = db.session.scalars(
        select(KitVersion)
        .join(Kit, and_(Kit.id == KitVersion.kit_id, Kit.published_version == KitVersion.number))
        .where(Kit.id.in_(ids))
    )
    return {v.kit_id: KitView(v.snapshot, language, version=v.number) for v in versions}


def draft_view(kit: Kit, language: str) -> KitView:
    return KitView(build_snapshot(kit), language, version=None)


def has_unpublished_changes(kit: Kit) -> bool:
    version = latest_version(kit)
    return version is None or version.content_hash != content_hash(build_snapshot(kit))


def draft_is_published(kit: Kit) -> bool:
    """The draft is exactly the version the kit's page shows (publishing it would change nothing)."""
    version = latest_version(kit)
    return (
        kit.status == "published"
        and version is not None
        and version.number == kit.published_version
        and version.content_hash == content_hash(build_snapshot(kit))
    )


def check_publishable(snapshot: dict) -> list[str]:
    problems = []
    src = snapshot["source_language"]
    if src not in snapshot["texts"]:
        problems.append(_("The kit has no overview in its source language."))
    if not any(p["kind"] == "case_study" for p in snapshot["parts"]):
        problems.append(_("The kit needs at least one case study."))
    if not any(p["kind"] == "agenda" for p in snapshot["parts"]):
        problems.append(_("The facilitator guide needs an agenda."))
    if not snapshot["questions"]:
        problems.append(_("The pre/post test needs at least one question."))
    for part in [*snapshot["parts"], *snapshot["questions"]]:
        if src not in part["texts"]:
            problems.append(_("A part has no text in the source language."))
            break
    return problems


def publish(actor, kit: Kit, *, note: str = "") -> KitVersion:
    """Freeze the draft as the next version (an unchanged draft re-uses the last version) and list the
    kit in the registry of learning resources."""
    if kit.status == "archived":
        raise CourseError(_("An archived kit cannot be published."))
    snapshot = build_snapshot(kit)
    problems = check_publishable(snapshot)
    if problems:
        raise CourseError(_("The kit cannot be published yet."), errors=problems)
    digest = content_hash(snapshot)
    previous = latest_version(kit)
    if previous is not None and previous.content_hash == digest:
        version = previous
    else:
        version = add_version(
            KitVersion,
            {"kit_id": kit.id},
            actor=actor,
            snapshot=snapshot,
            digest=digest,
            note=(note or "").strip()[:500],
        )
    mark_published(actor, kit, version, "kit", lambda: register(kit, snapshot))
    return version


def register(kit: Kit, snapshot: dict) -> None:
    view = KitView(snapshot, snapshot["source_language"])
    list_resource("kit", kit, snapshot, view.titles(), f"/courses/kits/{kit.slug}")


def unpublish(actor, kit: Kit) -> None:
    if kit.status != "published":
        raise CourseError(_("Only a published kit can be unpublished."))
    withdraw(actor, kit, "kit", "unpublished")


def is_visible(kit: Kit) -> bool:
    return kit.status == "published" and kit.published_version is not None
