"""Reading and validating a course package (a folder that can live in git, or its zip)::

    course.yaml                 metadata, units and their steps (see docs in courses/PACKAGE.md)
    lessons/<lang>/<slug>.md    one Markdown file per lesson and language, with YAML front matter (title)
    quizzes/<slug>.yaml         one file per quiz: settings and questions, texts per language
    media/<file>                images used by the lessons (PNG, JPEG, GIF, WebP)

:func:`read_package` turns the files into a *plan* (plain dicts, the same shape as a snapshot) or raises
:class:`PackageError` listing every problem as ``(file, line, reason)``; nothing is written before the
whole package is valid.
"""

from __future__ import annotations

import re
import uuid as uuidlib

from flask_babel import gettext as _

from courses.models import LEVELS, QUESTION_KINDS, RESERVED_SLUGS
from courses.services import questions as qs
from courses.services import yamlines
from courses.services.errors import CourseError, PackageError
from courses.services.media import check_media
from courses.services.texts import is_complete
from lms.config import LANGUAGES

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COURSE_KEYS = {
    "format",
    "id",
    "slug",
    "source_language",
    "languages",
    "level",
    "estimated_minutes",
    "articles",
    "prerequisites",
    "certificate",
    "title",
    "summary",
    "audience",
    "units",
    "translation_hashes",
}
UNIT_KEYS = {"id", "title", "items"}
ITEM_KEYS = {"lesson", "quiz", "id", "required", "minutes"}
QUIZ_KEYS = {"title", "intro", "pass_mark", "max_attempts", "shuffle", "draw", "questions"}
QUESTION_KEYS = {
    "id",
    "kind",
    "points",
    "prompt",
    "feedback_correct",
    "feedback_incorrect",
    "options",
    "answer",
    "tolerance",
    "accepted",
    "pairs",
    "items",
}
ROW_KEYS = {
    "options": {"id", "correct", "text", "feedback"},
    "pairs": {"id", "source", "target"},
    "items": {"id", "text"},
}
FRONT_KEYS = {"title"}
MAX_TEXT_FILE = 2 * 1024 * 1024


class Errors:
    def __init__(self):
        self.items: list[tuple[str, int | str, str]] = []

    def add(self, file: str, line, reason: str) -> None:
        self.items.append((file, line or "", str(reason)))


def _is_uuid(value) -> bool:
    try:
        return str(uuidlib.UUID(str(value))) == str(value)
    except ValueError:
        return False


def _text(files: dict, path: str, errors: Errors) -> str | None:
    data = files.get(path)
    if data is None:
        return None
    if len(data) > MAX_TEXT_FILE:
        errors.add(path, "", _("text file larger than 2 MB"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        errors.add(path, "", _("not UTF-8 text"))
        return None


def _yaml(files: dict, path: str, errors: Errors):
    text = _text(files, path, errors)
    if text is None:
        return None
    try:
        value = yamlines.load(text)
    except ValueError as exc:
        line, message = exc.args[0]
        errors.add(path, line, message)
        return None
    if not isinstance(value, dict):
        errors.add(path, 1, _("the file must be a YAML mapping (key: value)"))
        return None
    return value


def _unknown(node, allowed: set, path: str, errors: Errors) -> None:
    for key in node:
        if key not in allowed:
            errors.add(path, node.line_of(key), _("unknown key %(key)s", key=key))


def _lang_map(node, key, path, errors: Errors, source: str, *, required=False, kind=str) -> dict:
    """A per-language value: ``{en: ..., fr: ...}`` (a plain value means the source language)."""
    value = node.get(key)
    line = node.line_of(key) if hasattr(node, "line_of") else ""
    if value is None:
        if required:
            errors.add(path, getattr(node, "line", ""), _("missing required key %(key)s", key=key))
        return {}
    if not isinstance(value, dict):
        value = {source: value}
    out = {}
    for lang, text in value.items():
        if lang not in LANGUAGES:
            errors.add(path, line, _("%(key)s: unknown language %(lang)s", key=key, lang=lang))
            continue
        if kind is str and not isinstance(text, str | int | float):
            errors.add(path, line, _("%(key)s.%(lang)s must be text", key=key, lang=lang))
            continue
        if kind is list:
            if isinstance(text, str):
                text = [text]
            if not isinstance(text, list) or not all(isinstance(t, str | int | float) for t in text):
                errors.add(path, line, _("%(key)s.%(lang)s must be a list of texts", key=key, lang=lang))
                continue
            out[lang] = [str(t).strip() for t in text if str(t).strip()]
            continue
        if str(text).strip():
            out[lang] = str(text).strip()
    return out


def _int(node, key, path, errors: Errors, default: int, low: int, high: int) -> int:
    value = node.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors.add(
            path,
            node.line_of(key),
            _("%(key)s must be a whole number from %(low)s to %(high)s", key=key, low=low, high=high),
        )
        return default
    return value


def _bool(node, key, path, errors: Errors, default: bool) -> bool:
    value = node.get(key, default)
    if not isinstance(value, bool):
        errors.add(path, node.line_of(key), _("%(key)s must be true or false", key=key))
        return default
    return value


def _ident(node, path, errors: Errors, seen: set) -> str:
    value = node.get("id")
    if value is None:
        return str(uuidlib.uuid4())
    if not _is_uuid(value):
        errors.add(path, node.line_of("id"), _("id must be a UUID such as 6f1c…-…"))
        return str(uuidlib.uuid4())
    if value in seen:
        errors.add(path, node.line_of("id"), _("id %(id)s is used twice", id=value))
    seen.add(value)
    return str(value)


def _front_matter(text: str, path: str, errors: Errors) -> tuple[dict, str]:
    if not text.startswith("---"):
        errors.add(path, 1, _("the lesson must start with front matter (---, title: ..., ---)"))
        return {}, text
    lines = text.split("\n")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        errors.add(path, 1, _("the front matter is not closed with ---"))
        return {}, ""
    try:
        meta = yamlines.load("\n".join(lines[1:end]), line_offset=1) or {}
    except ValueError as exc:
        line, message = exc.args[0]
        errors.add(path, line, message)
        return {}, ""
    if not isinstance(meta, dict):
        errors.add(path, 2, _("the front matter must be a YAML mapping"))
        return {}, ""
    _unknown(meta, FRONT_KEYS, path, errors)
    if not str(meta.get("title") or "").strip():
        errors.add(path, 2, _("missing required key %(key)s", key="title"))
    return meta, "\n".join(lines[end + 1 :]).strip("\n")


def read_package(files: dict[str, bytes]) -> dict:
    """Validate a whole package; return the plan or raise :class:`PackageError` with every error."""
    errors = Errors()
    root = _yaml(files, "course.yaml", errors)
    if "course.yaml" not in files:
        errors.add("course.yaml", "", _("missing: every package has a course.yaml at its root"))
    if root is None:
        raise PackageError(_("The package is refused."), errors=errors.items)
    path = "course.yaml"
    _unknown(root, COURSE_KEYS, path, errors)
    source = root.get("source_language")
    if source not in LANGUAGES:
        errors.add(
            path,
            root.line_of("source_language"),
            _("source_language must be one of %(codes)s", codes=", ".join(LANGUAGES)),
        )
        source = "en"
    languages = root.get("languages", [source])
    if not isinstance(languages, list) or any(code not in LANGUAGES for code in languages):
        errors.add(
            path,
            root.line_of("languages"),
            _("languages must be a list of codes among %(codes)s", codes=", ".join(LANGUAGES)),
        )
        languages = [source]
    languages = list(dict.fromkeys([source, *languages]))
    slug = str(root.get("slug") or "")
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS or len(slug) > 80:
        errors.add(
            path,
            root.line_of("slug"),
            _("slug must be lower-case letters, digits and hyphens (not reserved)"),
        )
    level = root.get("level", "introductory")
    if level not in LEVELS:
        errors.add(
            path, root.line_of("level"), _("level must be one of %(levels)s", levels=", ".join(LEVELS))
        )
        level = "introductory"
    articles = root.get("articles", [])
    if not isinstance(articles, list) or any(
        isinstance(a, bool) or not isinstance(a, int) or not 1 <= a <= 35 for a in articles
    ):
        errors.add(path, root.line_of("articles"), _("articles must be a list of numbers from 1 to 35"))
        articles = []
    prerequisites = root.get("prerequisites", [])
    if not isinstance(prerequisites, list) or any(not isinstance(p, str) for p in prerequisites):
        errors.add(path, root.line_of("prerequisites"), _("prerequisites must be a list of course slugs"))
        prerequisites = []
    seen: set = set()
    plan = {
        "uuid": _ident(root, path, errors, seen),
        "slug": slug,
        "source_language": source,
        "languages": languages,
        "level": level,
        "estimated_minutes": _int(root, "estimated_minutes", path, errors, 30, 1, 10000),
        "articles": sorted(set(articles)),
        "prerequisites": prerequisites,
        "is_certificate": _bool(root, "certificate", path, errors, True),
        "texts": {},
        "units": [],
        "media": {},
        "hashes": {},
    }
    course_texts = {
        k: _lang_map(root, k, path, errors, source, required=k != "audience")
        for k in ("title", "summary", "audience")
    }
    plan["texts"] = _by_language(course_texts)
    for lang in languages:
        for key in ("title", "summary"):
            if lang not in course_texts[key]:
                errors.add(
                    path,
                    root.line_of(key),
                    _("%(key)s: missing the %(lang)s translation", key=key, lang=lang),
                )
    hashes = root.get("translation_hashes", {})
    if not isinstance(hashes, dict) or any(not isinstance(v, dict) for v in hashes.values()):
        errors.add(
            path, root.line_of("translation_hashes"), _("translation_hashes must map language -> id -> hash")
        )
    else:
        plan["hashes"] = {str(lang): {str(k): str(v) for k, v in m.items()} for lang, m in hashes.items()}
    units = root.get("units")
    if not isinstance(units, list) or not units:
        errors.add(path, root.line_of("units"), _("units must be a non-empty list"))
        units = []
    expected, slugs = {"course.yaml"}, set()
    for n, unode in enumerate(units):
        if not isinstance(unode, dict):
            errors.add(path, units.line_of(n), _("each unit must be a mapping"))
            continue
        _unknown(unode, UNIT_KEYS, path, errors)
        utexts = {"title": _lang_map(unode, "title", path, errors, source, required=True)}
        for lang in languages:
            if lang not in utexts["title"]:
                errors.add(
                    path, unode.line_of("title"), _("unit title: missing the %(lang)s translation", lang=lang)
                )
        unit = {"uuid": _ident(unode, path, errors, seen), "texts": _by_language(utexts), "items": []}
        items = unode.get("items", [])
        if not isinstance(items, list):
            errors.add(path, unode.line_of("items"), _("items must be a list"))
            items = []
        for m, inode in enumerate(items):
            item = _read_item(files, inode, items.line_of(m), plan, languages, seen, slugs, expected, errors)
            if item is not None:
                unit["items"].append(item)
        plan["units"].append(unit)
    for name, data in files.items():
        if name.startswith("media/"):
            fname = name[len("media/") :]
            try:
                clean, _ctype = check_media(fname, data)
            except CourseError as exc:
                errors.add(name, "", exc.message)
                continue
            if clean != fname:
                errors.add(name, "", _("media file names must be lower-case letters, digits, - _ ."))
                continue
            plan["media"][fname] = data
        elif name not in expected and not re.match(r"^(README|LICENSE|CHANGELOG)[^/]*$", name, re.I):
            errors.add(name, "", _("unexpected file (not part of the package layout)"))
    if errors.items:
        raise PackageError(
            _("The package is refused: %(n)s problems.", n=len(errors.items)), errors=errors.items
        )
    return plan


def _by_language(fields_by_key: dict[str, dict[str, str]]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for key, per_lang in fields_by_key.items():
        for lang, text in per_lang.items():
            out.setdefault(lang, {})[key] = text
    return out


def _read_item(files, inode, line, plan, languages, seen, slugs, expected, errors: Errors) -> dict | None:
    path, source = "course.yaml", plan["source_language"]
    if not isinstance(inode, dict):
        errors.add(path, line, _("each item must be a mapping with lesson: or quiz:"))
        return None
    _unknown(inode, ITEM_KEYS, path, errors)
    kinds = [k for k in ("lesson", "quiz") if k in inode]
    if len(kinds) != 1:
        errors.add(path, inode.line, _("each item needs exactly one of lesson: or quiz:"))
        return None
    kind = kinds[0]
    slug = str(inode[kind] or "")
    if not SLUG_RE.match(slug):
        errors.add(
            path,
            inode.line_of(kind),
            _("%(kind)s slug must be lower-case letters, digits and hyphens", kind=kind),
        )
        return None
    if slug in slugs:
        errors.add(path, inode.line_of(kind), _("slug %(slug)s is used twice", slug=slug))
    slugs.add(slug)
    item = {
        "kind": kind,
        "uuid": _ident(inode, path, errors, seen),
        "slug": slug,
        "required": _bool(inode, "required", path, errors, True),
        "minutes": _int(inode, "minutes", path, errors, 10, 1, 1000),
        "settings": {},
        "texts": {},
    }
    if kind == "lesson":
        for lang in LANGUAGES:
            fpath = f"lessons/{lang}/{slug}.md"
            if fpath not in files:
                if lang in languages:
                    errors.add(
                        fpath, "", _("missing: the %(lang)s text of lesson %(slug)s", lang=lang, slug=slug)
                    )
                continue
            expected.add(fpath)
            text = _text(files, fpath, errors)
            if text is None:
                continue
            meta, body = _front_matter(text, fpath, errors)
            if not body.strip():
                errors.add(fpath, "", _("the lesson text is empty"))
            item["texts"][lang] = {"title": str(meta.get("title") or "").strip(), "body": body}
        return item
    qpath = f"quizzes/{slug}.yaml"
    expected.add(qpath)
    if qpath not in files:
        errors.add(qpath, "", _("missing: the file of quiz %(slug)s", slug=slug))
        return item
    qnode = _yaml(files, qpath, errors)
    if qnode is None:
        return item
    _unknown(qnode, QUIZ_KEYS, qpath, errors)
    texts = {
        "title": _lang_map(qnode, "title", qpath, errors, source, required=True),
        "intro": _lang_map(qnode, "intro", qpath, errors, source),
    }
    for lang in languages:
        if lang not in texts["title"]:
            errors.add(qpath, qnode.line_of("title"), _("title: missing the %(lang)s translation", lang=lang))
    item["texts"] = _by_language(texts)
    item["settings"] = {
        "pass_mark": _int(qnode, "pass_mark", qpath, errors, 70, 0, 100),
        "max_attempts": _int(qnode, "max_attempts", qpath, errors, 0, 0, 100),
        "shuffle": _bool(qnode, "shuffle", qpath, errors, True),
        "draw": _int(qnode, "draw", qpath, errors, 0, 0, 500),
    }
    questions = qnode.get("questions")
    if not isinstance(questions, list) or not questions:
        errors.add(qpath, qnode.line_of("questions"), _("questions must be a non-empty list"))
        questions = []
    read = (
        _read_question(node, questions.line_of(n), qpath, source, languages, seen, errors)
        for n, node in enumerate(questions)
    )
    item["questions"] = [q for q in read if q is not None]
    if item["settings"]["draw"] > len(item["questions"]):
        errors.add(qpath, qnode.line_of("draw"), _("draw is larger than the number of questions"))
    return item


def _read_question(qnode, line, path, source, languages, seen, errors: Errors) -> dict | None:
    if not isinstance(qnode, dict):
        errors.add(path, line, _("each question must be a mapping"))
        return None
    _unknown(qnode, QUESTION_KEYS, path, errors)
    kind = qnode.get("kind")
    if kind not in QUESTION_KINDS:
        errors.add(
            path, qnode.line_of("kind"), _("kind must be one of %(kinds)s", kinds=", ".join(QUESTION_KINDS))
        )
        return None
    uuid = _ident(qnode, path, errors, seen)
    per_lang: dict[str, dict] = {}
    for key in ("prompt", "feedback_correct", "feedback_incorrect"):
        for lang, text in _lang_map(qnode, key, path, errors, source, required=key == "prompt").items():
            per_lang.setdefault(lang, {})[key] = text
    if kind == "fillin":
        for lang, texts in _lang_map(
            qnode, "accepted", path, errors, source, required=True, kind=list
        ).items():
            per_lang.setdefault(lang, {})["accepted"] = texts
    neutral_rows = {}
    for key, defaults in (("options", "abcdefghijklmnopqrst"), ("pairs", None), ("items", None)):
        rows = qnode.get(key)
        if rows is None:
            continue
        if not isinstance(rows, list):
            errors.add(path, qnode.line_of(key), _("%(key)s must be a list", key=key))
            continue
        neutral_rows[key] = []
        for n, row in enumerate(rows):
            if not isinstance(row, dict):
                errors.add(path, rows.line_of(n), _("each entry of %(key)s must be a mapping", key=key))
                continue
            _unknown(row, ROW_KEYS[key], path, errors)
            ident = str(
                row.get("id") or (defaults[n] if defaults and n < len(defaults) else f"{key[0]}{n + 1}")
            )
            entry = {"id": ident, "correct": row.get("correct") is True}
            for sub in ROW_KEYS[key] - {"id", "correct"}:
                for lang, text in _lang_map(row, sub, path, errors, source).items():
                    bucket = per_lang.setdefault(lang, {}).setdefault(key, {})
                    if key == "items":
                        bucket[ident] = text
                    else:
                        bucket.setdefault(ident, {})[sub] = text
                    if lang == source:
                        entry[sub] = text
            neutral_rows[key].append(entry)
    src = per_lang.get(source, {})
    data = {
        "prompt": src.get("prompt", ""),
        "feedback_correct": src.get("feedback_correct"),
        "feedback_incorrect": src.get("feedback_incorrect"),
        "points": qnode.get("points", 1),
        "answer": qnode.get("answer"),
        "tolerance": qnode.get("tolerance", 0),
        "accepted": src.get("accepted", []),
        "options": neutral_rows.get("options", []),
        "pairs": neutral_rows.get("pairs", []),
        "items": neutral_rows.get("items", []),
    }
    try:
        spec, fields = qs.normalise_question(kind, data)
    except CourseError as exc:
        errors.add(path, qnode.line, exc.message)
        return None
    points = fields.pop("points")
    texts = {source: fields}
    for lang, lfields in per_lang.items():
        if lang == source:
            continue
        texts[lang] = lfields
    for lang in languages:
        if lang != source and not is_complete("question", texts.get(lang, {}), fields, kind):
            errors.add(
                path, qnode.line, _("question: missing %(lang)s translations of some texts", lang=lang)
            )
    return {"uuid": uuid, "kind": kind, "points": points, "spec": spec, "texts": texts}
