"""Course packages, export: the draft of a course as package files (every translation, complete or
not, with the hashes that keep a stale translation stale), and the pieces a kit package reuses
(:func:`per_lang`, :func:`question_entry`). The format is ``courses/PACKAGE.md``; importing is
:mod:`courses.services.package_io`, and export then import gives the same course."""

from __future__ import annotations

from sqlalchemy import select

from courses.models import Course, Item, Media, Translation
from courses.services import yamlines
from courses.services.archive import write_zip
from courses.services.snapshot import build_snapshot
from courses.services.texts import STALE, status_of
from lms.db import db


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
