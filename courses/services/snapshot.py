"""Snapshots: the whole course (structure, settings, every language) as one JSON document.

:func:`build_snapshot` freezes the draft rows; a published :class:`courses.models.CourseVersion` stores it
and never changes. :class:`CourseView` reads a snapshot for learner pages, so a trainer's *preview* of
the draft and a learner's view of a published version are rendered by the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from sqlalchemy import select

from courses.models import Course, Media, Translation
from courses.services.texts import content_hash, is_complete, pick
from lms.db import db

FORMAT = 1


def _texts_by_uuid(course: Course) -> dict[str, dict[str, Translation]]:
    out: dict[str, dict[str, Translation]] = {}
    for row in db.session.scalars(select(Translation).filter_by(course_id=course.id)):
        out.setdefault(row.item_uuid, {})[row.language] = row
    return out


def _usable(rows: dict[str, Translation], item_type: str, source_language: str, kind=None) -> dict[str, dict]:
    """Per-language fields worth showing: the source always, translations when complete."""
    source = rows.get(source_language)
    src_fields = source.fields if source is not None else {}
    out = {}
    for lang, row in rows.items():
        if lang == source_language or is_complete(item_type, row.fields, src_fields, kind):
            out[lang] = dict(row.fields)
    return out


def _stale_languages(texts: dict[str, dict[str, Translation]], item, src: str, entry: dict) -> list[str]:
    """Languages shown for ``item`` whose translation (of the step or of one of its questions) was made
    from an older source text than the current one."""
    parts = [(item.uuid, entry["texts"])]
    parts += [(q["uuid"], q["texts"]) for q in entry.get("questions", [])]
    out = set()
    for uuid, usable in parts:
        rows = texts.get(uuid, {})
        source = rows.get(src)
        for lang, row in rows.items():
            if (
                lang != src
                and lang in usable
                and source is not None
                and row.source_hash != source.source_hash
            ):
                out.add(lang)
    return sorted(out)


def draft_heads(courses: Sequence[Course], language: str) -> dict[int, SnapshotView]:
    """The draft's own texts (title, summary...) of each course, by course id, read in ``language`` as
    :func:`build_snapshot` and :class:`CourseView` would show them, in one query (lists of modules)."""
    texts: dict[str, dict[str, Translation]] = {c.uuid: {} for c in courses}
    if texts:
        rows = db.session.scalars(
            select(Translation).where(Translation.item_uuid.in_(list(texts))).order_by(Translation.id)
        )
        for row in rows:
            texts[row.item_uuid][row.language] = row
    return {
        c.id: SnapshotView(
            {
                "uuid": c.uuid,
                "slug": c.slug,
                "source_language": c.source_language,
                "texts": _usable(texts[c.uuid], "course", c.source_language),
            },
            language,
        )
        for c in courses
    }


def build_snapshot(course: Course) -> dict:
    """The draft of ``course`` as a snapshot document (see module doc)."""
    texts = _texts_by_uuid(course)
    src = course.source_language
    units = []
    for unit in course.units:
        items = []
        for item in unit.items:
            entry = {
                "uuid": item.uuid,
                "kind": item.kind,
                "slug": item.slug,
                "required": item.is_required,
                "minutes": item.estimated_minutes,
                "settings": dict(item.settings or {}),
                "texts": _usable(texts.get(item.uuid, {}), item.kind, src),
            }
            if item.kind == "quiz":
                entry["questions"] = [
                    {
                        "uuid": q.uuid,
                        "kind": q.kind,
                        "points": q.points,
                        "spec": dict(q.spec or {}),
                        "texts": _usable(texts.get(q.uuid, {}), "question", src, q.kind),
                    }
                    for q in item.questions
                ]
            entry["hash"] = item_hash(entry, src)
            stale = _stale_languages(texts, item, src, entry)
            if stale:  # only when some translation is stale: older snapshots keep their content hash
                entry["stale"] = stale
            items.append(entry)
        units.append(
            {"uuid": unit.uuid, "texts": _usable(texts.get(unit.uuid, {}), "unit", src), "items": items}
        )
    course_texts = _usable(texts.get(course.uuid, {}), "course", src)
    media = db.session.scalars(select(Media).filter_by(course_id=course.id).order_by(Media.filename)).all()
    return {
        "format": FORMAT,
        "uuid": course.uuid,
        "slug": course.slug,
        "source_language": src,
        "languages": sorted(course_texts),
        "level": course.level,
        "estimated_minutes": course.estimated_minutes,
        "articles": sorted(int(a) for a in course.articles or []),
        "prerequisites": list(course.prerequisites or []),
        "is_certificate": course.is_certificate,
        "texts": course_texts,
        "media": {
            m.filename: {"sha256": m.sha256, "content_type": m.content_type, "size": m.size} for m in media
        },
        "units": units,
    }


def item_hash(entry: dict, source_language: str) -> str:
    """Language-independent content hash of an item: its settings and source-language words (and its
    questions'). Learners are told an item changed when this differs from what they saw."""

    def src(texts):
        return texts.get(source_language) or {}

    return content_hash(
        {
            "kind": entry["kind"],
            "settings": entry.get("settings"),
            "texts": src(entry.get("texts", {})),
            "questions": [
                {"kind": q["kind"], "points": q["points"], "spec": q["spec"], "texts": src(q["texts"])}
                for q in entry.get("questions", [])
            ],
        }
    )


def diff_snapshots(old: dict | None, new: dict) -> dict:
    """Items added, changed (content hash differs) and removed between two snapshots, and per language
    the parts translated or updated (see :func:`language_changes`)."""

    def index(snap):
        return {i["uuid"]: i["hash"] for u in (snap or {}).get("units", []) for i in u["items"]}

    before, after = index(old), index(new)
    return {
        "added": [u for u in after if u not in before],
        "changed": [u for u in after if u in before and before[u] != after[u]],
        "removed": [u for u in before if u not in after],
        "languages": language_changes(old, new),
    }


def _text_parts(snap: dict | None) -> dict[str, dict]:
    """The texts of every translatable part of a snapshot (the course, its units, steps and questions)."""
    if not snap:
        return {}
    out = {snap.get("uuid", ""): snap.get("texts") or {}}
    for unit in snap.get("units", []):
        out[unit["uuid"]] = unit.get("texts") or {}
        for item in unit.get("items", []):
            out[item["uuid"]] = item.get("texts") or {}
            for question in item.get("questions", []):
                out[question["uuid"]] = question.get("texts") or {}
    return out


def language_changes(old: dict | None, new: dict) -> dict[str, dict[str, int]]:
    """Per language other than the source, in how many parts a translation was added (``translated``)
    and in how many one was changed (``updated``) between two snapshots. The item hashes only follow
    the source language, so a version that only adds a translation has no added or changed item."""
    source = new.get("source_language")
    before, after = _text_parts(old), _text_parts(new)
    out: dict[str, dict[str, int]] = {}
    for uuid, texts in after.items():
        for lang, fields in texts.items():
            if lang == source:
                continue
            previous = before.get(uuid, {}).get(lang)
            key = "translated" if previous is None else "updated" if previous != fields else None
            if key:
                out.setdefault(lang, {"translated": 0, "updated": 0})[key] += 1
    return dict(sorted(out.items()))


class SnapshotView:
    """Read access to a snapshot (a course's or a kit's) in one language, with fallback to the source
    language; :class:`CourseView` and :class:`courses.services.kits_snapshot.KitView` add their parts."""

    def __init__(self, snapshot: dict, language: str, *, version: int | None = None):
        self.s = snapshot
        self.language = language
        self.version = version

    @property
    def uuid(self) -> str:
        return self.s["uuid"]

    @property
    def slug(self) -> str:
        return self.s["slug"]

    @property
    def source_language(self) -> str:
        return self.s["source_language"]

    def texts(self, texts: dict) -> tuple[dict, str, bool]:
        """``(fields, language shown, is_fallback)``."""
        return pick(texts, self.language, self.source_language)

    @cached_property
    def own_texts(self) -> dict:
        """The course's or kit's own fields (title, summary...) in the language shown."""
        return self.texts(self.s["texts"])[0]

    @property
    def title(self) -> str:
        return self.own_texts.get("title", self.slug)

    @property
    def is_fallback(self) -> bool:
        return self.texts(self.s["texts"])[2]

    @property
    def title_language(self) -> str:
        """The language the title is shown in (the source language when it is a fallback)."""
        return self.texts(self.s["texts"])[1]


class CourseView(SnapshotView):
    """A course snapshot read in one language (learner pages, offline copies, previews)."""

    @property
    def course_texts(self) -> dict:
        return self.own_texts

    @cached_property
    def items(self) -> list[dict]:
        """Every item in study order, each with ``unit`` (the unit's uuid) added."""
        return [dict(item, unit=unit["uuid"]) for unit in self.s["units"] for item in unit["items"]]

    def item(self, slug: str) -> dict | None:
        return next((i for i in self.items if i["slug"] == slug), None)

    def item_by_uuid(self, uuid: str) -> dict | None:
        return next((i for i in self.items if i["uuid"] == uuid), None)

    def neighbours(self, slug: str) -> tuple[dict | None, dict | None]:
        slugs = [i["slug"] for i in self.items]
        if slug not in slugs:
            return None, None
        pos = slugs.index(slug)
        return (
            self.items[pos - 1] if pos > 0 else None,
            self.items[pos + 1] if pos + 1 < len(slugs) else None,
        )

    def required_items(self) -> list[dict]:
        return [i for i in self.items if i["required"]]

    def is_partly_translated(self, language: str) -> bool:
        """``language`` has the course's own texts but some unit, step or question is missing in it
        (learners would meet the source language part of the way)."""
        if language == self.source_language or language not in self.s["texts"]:
            return False
        parts = [u["texts"] for u in self.s["units"]]
        for unit in self.s["units"]:
            for item in unit["items"]:
                parts.append(item["texts"])
                parts += [q["texts"] for q in item.get("questions", [])]
        return any(language not in texts for texts in parts)

    def is_stale(self, item: dict, language: str) -> bool:
        """The item's ``language`` variant was translated from an older source text."""
        return language != self.source_language and language in item.get("stale", ())

    def item_title(self, item: dict) -> str:
        return self.texts(item["texts"])[0].get("title", item["slug"])

    def unit_title(self, unit: dict) -> str:
        return self.texts(unit["texts"])[0].get("title", "")

    def item_title_language(self, item: dict) -> str:
        """The language :meth:`item_title` is in (the source language when it is a fallback)."""
        return self.texts(item["texts"])[1]

    def unit_title_language(self, unit: dict) -> str:
        return self.texts(unit["texts"])[1]

    def titles(self) -> dict[str, str]:
        return {lang: t["title"] for lang, t in self.s["texts"].items() if t.get("title")}
