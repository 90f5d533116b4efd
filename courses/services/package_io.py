"""Course packages, import: validate a package and write its plan into the draft (new course, or
replacing the draft of the course with the same id). Exporting is :mod:`courses.services.package_export`;
export then import gives the same course (same ids, texts, settings, media and translation status)."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import delete, select

from courses.models import Course, Item, Media, Question, Translation, Unit
from courses.permissions import can_edit
from courses.services.archive import read_folder, read_zip, strip_common_root
from courses.services.errors import PackageError
from courses.services.media import save_media
from courses.services.package_read import read_package
from courses.services.teams import make_owner
from courses.services.texts import content_hash, set_text
from lms.db import db
from lms.models import audit

Progress = Callable[[str], None]


def files_from_zip(data: bytes) -> dict[str, bytes]:
    return strip_common_root(read_zip(data), "course.yaml")


def files_from_folder(path) -> dict[str, bytes]:
    return read_folder(path)


def import_files(
    actor, files: dict[str, bytes], *, progress: Progress | None = None, owner=None
) -> tuple[Course, bool]:
    """Validate then import. Returns ``(course, created)``. Raises :class:`PackageError` (nothing written)."""
    plan = read_package(files)
    return apply_plan(actor, plan, progress=progress, owner=owner)


def _check_targets(actor, plan: dict) -> Course | None:
    existing = db.session.scalar(select(Course).filter_by(uuid=plan["uuid"]))
    by_slug = db.session.scalar(select(Course).filter_by(slug=plan["slug"]))
    errors = []
    if by_slug is not None and (existing is None or by_slug.id != existing.id):
        errors.append(
            ("course.yaml", "", _("the short name %(slug)s belongs to another module", slug=plan["slug"]))
        )
    if existing is not None and actor is not None and not can_edit(actor, existing):
        # Only the course's team replaces its draft (the command line, actor None, is the operator).
        errors.append(
            ("course.yaml", "", _("the module %(slug)s belongs to a team you are not in", slug=existing.slug))
        )
    if existing is not None and existing.source_language != plan["source_language"]:
        errors.append(("course.yaml", "", _("the source language of an existing module cannot change")))
    ids = [u["uuid"] for u in plan["units"]] + [i["uuid"] for u in plan["units"] for i in u["items"]]
    qids = [q["uuid"] for u in plan["units"] for i in u["items"] for q in i.get("questions", [])]
    for model, wanted in ((Unit, ids), (Item, ids), (Question, qids)):
        clash = db.session.scalars(select(model).where(model.uuid.in_(wanted))).all()
        for row in clash:
            owner = row.course_id if hasattr(row, "course_id") else row.item.course_id
            if existing is None or owner != existing.id:
                errors.append(
                    ("course.yaml", "", _("id %(id)s is already used by another module", id=row.uuid))
                )
    missing = [
        p
        for p in plan["prerequisites"]
        if p != plan["slug"] and db.session.scalar(select(Course.id).filter_by(slug=p)) is None
    ]
    for slug in missing:
        errors.append(
            ("course.yaml", "", _("prerequisite %(slug)s is not a module on this platform", slug=slug))
        )
    if errors:
        raise PackageError(_("The package is refused."), errors=errors)
    return existing


def apply_plan(actor, plan: dict, *, progress: Progress | None = None, owner=None) -> tuple[Course, bool]:
    """Write the plan. A new course is owned by ``owner`` (default: the actor; nobody when both are
    None, then only admins manage it); ``owner`` given for an existing course joins its owners."""
    tick = progress or (lambda _msg: None)
    existing = _check_targets(actor, plan)
    src = plan["source_language"]
    created = existing is None
    course = target_of(Course, existing, plan, actor)
    if existing is not None:
        for unit in list(course.units):
            course.units.remove(unit)
        db.session.execute(delete(Translation).where(Translation.course_id == course.id))
        db.session.execute(delete(Media).where(Media.course_id == course.id))
    course.level, course.estimated_minutes = plan["level"], plan["estimated_minutes"]
    course.articles, course.prerequisites = plan["articles"], plan["prerequisites"]
    course.is_certificate = plan["is_certificate"]
    db.session.flush()
    hashes = plan.get("hashes", {})

    def texts(item_uuid, item_type, by_lang):
        for lang, fields, source_hash in texts_to_write(item_uuid, by_lang, src, hashes):
            set_text(
                course_id=course.id,
                item_uuid=item_uuid,
                item_type=item_type,
                language=lang,
                fields=fields,
                source_language=src,
                actor=actor,
                source_hash=source_hash,
            )

    texts(course.uuid, "course", plan["texts"])
    tick(_("module %(slug)s", slug=course.slug))
    for upos, pu in enumerate(plan["units"], start=1):
        unit = Unit(uuid=pu["uuid"], course=course, position=upos)
        db.session.add(unit)
        db.session.flush()
        texts(unit.uuid, "unit", pu["texts"])
        for ipos, pi in enumerate(pu["items"], start=1):
            if pi["kind"] == "package":
                from courses.services.xapi_packages import store_package

                pkg = pi["package"]
                stored = store_package(
                    course,
                    pkg["meta"],
                    pkg["files"],
                    pi["texts"].get(src, {}).get("title", ""),
                    package_uuid=pkg["uuid"],
                )
                pi["settings"] = {"package_uuid": stored.uuid, "kind": stored.kind}
            item = Item(
                uuid=pi["uuid"],
                course_id=course.id,
                unit=unit,
                kind=pi["kind"],
                slug=pi["slug"],
                position=ipos,
                is_required=pi["required"],
                estimated_minutes=pi["minutes"],
                settings=pi.get("settings") or {},
            )
            db.session.add(item)
            db.session.flush()
            texts(item.uuid, pi["kind"], pi["texts"])
            for qpos, pq in enumerate(pi.get("questions", []), start=1):
                question = Question(
                    uuid=pq["uuid"],
                    item=item,
                    position=qpos,
                    kind=pq["kind"],
                    points=pq["points"],
                    spec=pq["spec"],
                )
                db.session.add(question)
                db.session.flush()
                texts(question.uuid, "question", pq["texts"])
            tick(_("%(kind)s %(slug)s", kind=pi["kind"], slug=pi["slug"]))
    for name, data in sorted(plan["media"].items()):
        save_media(actor, course, name, data, check=False)
        tick(_("media %(name)s", name=name))
    audit(actor, "courses.package_imported", "course", course.uuid, created=created)
    own_imported(actor, course, created, owner)
    return course, created


def target_of(model, existing, plan: dict, actor):
    """The course or kit a package writes to: ``existing`` renamed to the plan's slug (the caller then
    clears its content), or a new one with the plan's id."""
    if existing is not None:
        existing.slug = plan["slug"]
        return existing
    target = model(
        uuid=plan["uuid"],
        slug=plan["slug"],
        source_language=plan["source_language"],
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(target)
    return target


def texts_to_write(uuid: str, by_lang: dict[str, dict], src: str, hashes: dict):
    """``(language, fields, source hash)`` for each language of an imported part, the source first. The
    source hash is the one the package recorded for that translation (so a translation exported stale
    stays stale), else the hash of the imported source text."""
    source_hash = content_hash(_clean(by_lang.get(src, {})))
    for lang in sorted(by_lang, key=lambda code: code != src):
        recorded = hashes.get(lang, {}).get(uuid)
        yield lang, by_lang[lang], recorded if recorded is not None else source_hash


def own_imported(actor, resource, created: bool, owner) -> None:
    """Give an imported course or kit its owner: ``owner`` when given, else the actor of a creation."""
    if owner is not None or (created and actor is not None):
        make_owner(actor, resource, owner if owner is not None else actor)
    db.session.flush()


def _clean(fields: dict) -> dict:
    from courses.services.texts import clean_fields

    return clean_fields(fields)
