"""Course packages: import a validated plan into the draft (new course, or replacing the draft of the
course with the same id), and export a draft as package files. Export then import gives the same course
(same ids, texts, settings, media and translation status)."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import delete, select

from courses.models import Course, Item, Media, Question, Translation, Unit
from courses.permissions import can_edit
from courses.services import yamlines
from courses.services.archive import read_folder, read_zip, strip_common_root, write_zip
from courses.services.errors import PackageError
from courses.services.media import save_media
from courses.services.package_read import read_package
from courses.services.snapshot import build_snapshot
from courses.services.teams import make_owner
from courses.services.texts import STALE, content_hash, set_text, status_of
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
            ("course.yaml", "", _("the slug %(slug)s belongs to another course", slug=plan["slug"]))
        )
    if existing is not None and actor is not None and not can_edit(actor, existing):
        # Only the course's team replaces its draft (the command line, actor None, is the operator).
        errors.append(
            ("course.yaml", "", _("the course %(slug)s belongs to a team you are not in", slug=existing.slug))
        )
    if existing is not None and existing.source_language != plan["source_language"]:
        errors.append(("course.yaml", "", _("the source language of an existing course cannot change")))
    ids = [u["uuid"] for u in plan["units"]] + [i["uuid"] for u in plan["units"] for i in u["items"]]
    qids = [q["uuid"] for u in plan["units"] for i in u["items"] for q in i.get("questions", [])]
    for model, wanted in ((Unit, ids), (Item, ids), (Question, qids)):
        clash = db.session.scalars(select(model).where(model.uuid.in_(wanted))).all()
        for row in clash:
            owner = row.course_id if hasattr(row, "course_id") else row.item.course_id
            if existing is None or owner != existing.id:
                errors.append(
                    ("course.yaml", "", _("id %(id)s is already used by another course", id=row.uuid))
                )
    missing = [
        p
        for p in plan["prerequisites"]
        if p != plan["slug"] and db.session.scalar(select(Course.id).filter_by(slug=p)) is None
    ]
    for slug in missing:
        errors.append(
            ("course.yaml", "", _("prerequisite %(slug)s is not a course on this platform", slug=slug))
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
    tick(_("course %(slug)s", slug=course.slug))
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


# Export ------------------------------------------------------------------------------------------------


def per_lang(texts: dict, key: str) -> dict | None:
    """One field of a part in every language that has it (None when none has it)."""
    return {lang: f[key] for lang, f in texts.items() if f.get(key) not in (None, "", [], {})} or None


def export_files(course: Course) -> dict[str, bytes]:
    """The draft of ``course`` as package files (every translation, complete or not)."""
    src = course.source_language
    all_rows: dict[str, dict[str, Translation]] = {}
    for row in db.session.scalars(select(Translation).filter_by(course_id=course.id)):
        all_rows.setdefault(row.item_uuid, {})[row.language] = row

    def texts(uuid):
        return {lang: dict(r.fields) for lang, r in all_rows.get(uuid, {}).items() if r.fields}

    snapshot = build_snapshot(course)
    files: dict[str, bytes] = {}
    stale: dict[str, dict[str, str]] = {}
    kinds = {q.uuid: q.kind for u in course.units for i in u.items for q in i.questions}
    for uuid, by_lang in all_rows.items():
        source = by_lang.get(src)
        for lang, row in by_lang.items():
            if lang != src and row.fields and status_of(row.item_type, row, source, kinds.get(uuid)) == STALE:
                stale.setdefault(lang, {})[uuid] = row.source_hash
    ctexts = texts(course.uuid)
    root = {
        "format": 1,
        "id": course.uuid,
        "slug": course.slug,
        "source_language": src,
        "languages": complete_languages(course, snapshot),
        "level": course.level,
        "estimated_minutes": course.estimated_minutes,
        "articles": list(course.articles or []),
        "prerequisites": list(course.prerequisites or []),
        "certificate": course.is_certificate,
    }
    for key in ("title", "summary", "audience"):
        value = per_lang(ctexts, key)
        if value:
            root[key] = value
    root["units"] = []
    for unit in course.units:
        uentry = {"id": unit.uuid, "title": per_lang(texts(unit.uuid), "title") or {}, "items": []}
        for item in unit.items:
            if item.kind == "package":
                uentry["items"].append(_package_entry(item, texts(item.uuid), src, files))
                continue
            uentry["items"].append(
                {
                    item.kind: item.slug,
                    "id": item.uuid,
                    "required": item.is_required,
                    "minutes": item.estimated_minutes,
                }
            )
            itexts = texts(item.uuid)
            if item.kind == "lesson":
                for lang, fields in itexts.items():
                    if not fields.get("title") or not fields.get("body"):
                        continue  # an unfinished translation has no file yet
                    front = yamlines.dump({"title": fields.get("title", "")})
                    files[f"lessons/{lang}/{item.slug}.md"] = (
                        f"---\n{front}---\n\n{fields.get('body', '')}\n".encode()
                    )
            else:
                files[f"quizzes/{item.slug}.yaml"] = yamlines.dump(_quiz_doc(item, itexts, texts)).encode()
        root["units"].append(uentry)
    if stale:
        root["translation_hashes"] = stale
    files["course.yaml"] = yamlines.dump(root).encode()
    from courses.services.media import blob_path

    for media in db.session.scalars(select(Media).filter_by(course_id=course.id)):
        files[f"media/{media.filename}"] = blob_path(media.sha256).read_bytes()
    return files


def complete_languages(course: Course, snapshot: dict) -> list[str]:
    """Languages in which every required text of the course is translated."""
    out = []
    for lang in snapshot["languages"]:
        ok = all(lang in u["texts"] for u in snapshot["units"]) and all(
            lang in i["texts"] and all(lang in q["texts"] for q in i.get("questions", []))
            for u in snapshot["units"]
            for i in u["items"]
            if i["kind"] in ("lesson", "quiz")
        )
        if ok:
            out.append(lang)
    return out


def _quiz_doc(item: Item, itexts: dict, texts) -> dict:
    doc = {"title": per_lang(itexts, "title") or {}}
    intro = per_lang(itexts, "intro")
    if intro:
        doc["intro"] = intro
    doc.update({k: item.settings.get(k) for k in ("pass_mark", "max_attempts", "shuffle", "draw")})
    doc["questions"] = []
    for q in item.questions:
        doc["questions"].append(question_entry(q.uuid, q.kind, q.points, q.spec, texts(q.uuid)))
    return doc


def question_entry(uuid: str, kind: str, points, spec: dict | None, qt: dict[str, dict]) -> dict:
    """A question as a package writes it (a course quiz's or a kit's test): its settings, and its texts
    per language (``qt``: language -> fields), each text left out where no language has it."""
    spec = spec or {}
    entry = {"id": uuid, "kind": kind, "points": points, "prompt": per_lang(qt, "prompt") or {}}
    for key in ("feedback_correct", "feedback_incorrect"):
        value = per_lang(qt, key)
        if value:
            entry[key] = value
    if kind in ("truefalse", "numeric"):
        entry["answer"] = spec.get("answer")
    if kind == "numeric":
        entry["tolerance"] = spec.get("tolerance", 0)
    if kind == "fillin":
        entry["accepted"] = per_lang(qt, "accepted") or {}

    def sub_texts(key, ident, sub):
        return {
            lang: ((f.get(key) or {}).get(ident) or {}).get(sub)
            for lang, f in qt.items()
            if ((f.get(key) or {}).get(ident) or {}).get(sub)
        }

    if kind in ("single", "multiple"):
        entry["options"] = []
        for opt in spec.get("options", []):
            row = {"id": opt["id"], "correct": bool(opt.get("correct"))}
            for sub in ("text", "feedback"):
                value = sub_texts("options", opt["id"], sub)
                if value:
                    row[sub] = value
            entry["options"].append(row)
    if kind == "matching":
        entry["pairs"] = [
            {"id": p, "source": sub_texts("pairs", p, "source"), "target": sub_texts("pairs", p, "target")}
            for p in spec.get("pairs", [])
        ]
    if kind == "ordering":
        entry["items"] = [
            {
                "id": s,
                "text": {
                    lang: (f.get("items") or {}).get(s)
                    for lang, f in qt.items()
                    if (f.get("items") or {}).get(s)
                },
            }
            for s in spec.get("items", [])
        ]
    return entry


def export_zip(course: Course) -> bytes:
    return write_zip(export_files(course))


def _package_entry(item: Item, itexts: dict, src: str, files: dict[str, bytes]) -> dict:
    """A package step: its entry in course.yaml; its files go under ``packages/<slug>/``."""
    from courses.models import Package
    from courses.services.xapi_packages import package_dir

    package = db.session.scalar(select(Package).filter_by(uuid=(item.settings or {}).get("package_uuid")))
    entry = {
        "package": item.slug,
        "id": item.uuid,
        "required": item.is_required,
        "minutes": item.estimated_minutes,
    }
    if package is not None:
        entry["package_id"] = package.uuid
        for name in package.files or []:
            path = package_dir(package.uuid) / name
            if path.exists():
                files[f"packages/{item.slug}/{name}"] = path.read_bytes()
    for key in ("title", "description"):
        value = per_lang(itexts, key)
        if value:
            entry[key] = value
    return entry
