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
from flask_babel import ngettext

from courses.models import LEVELS, RESERVED_SLUGS
from courses.services import yamlines
from courses.services.errors import CourseError, PackageError
from courses.services.media import check_media
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
ITEM_KEYS = {"lesson", "quiz", "package", "package_id", "title", "description", "id", "required", "minutes"}
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


def _identity(root, path: str, errors: Errors) -> tuple[str, list[str], str]:
    """``(source_language, languages, slug)`` of a course or kit package's root file (the source first
    among the languages); a bad value is reported and replaced by a default so reading goes on."""
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
    return source, languages, slug


def _articles(root, path: str, errors: Errors) -> list[int]:
    articles = root.get("articles", [])
    if not isinstance(articles, list) or any(
        isinstance(a, bool) or not isinstance(a, int) or not 1 <= a <= 35 for a in articles
    ):
        errors.add(path, root.line_of("articles"), _("articles must be a list of numbers from 1 to 35"))
        articles = []
    return articles


def _hashes(root, path: str, errors: Errors) -> dict[str, dict[str, str]]:
    """The recorded ``translation_hashes`` (language -> id -> source hash), empty when malformed."""
    hashes = root.get("translation_hashes", {})
    if not isinstance(hashes, dict) or any(not isinstance(v, dict) for v in hashes.values()):
        errors.add(
            path, root.line_of("translation_hashes"), _("translation_hashes must map language -> id -> hash")
        )
        return {}
    return {str(lang): {str(k): str(v) for k, v in m.items()} for lang, m in hashes.items()}


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
    source, languages, slug = _identity(root, path, errors)
    level = root.get("level", "introductory")
    if level not in LEVELS:
        errors.add(
            path, root.line_of("level"), _("level must be one of %(levels)s", levels=", ".join(LEVELS))
        )
        level = "introductory"
    articles = _articles(root, path, errors)
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
    plan["hashes"] = _hashes(root, path, errors)
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
            ngettext(
                "The package is refused: %(num)s problem.",
                "The package is refused: %(num)s problems.",
                len(errors.items),
            ),
            errors=errors.items,
        )
    return plan


def _by_language(fields_by_key: dict[str, dict[str, str]]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for key, per_lang in fields_by_key.items():
        for lang, text in per_lang.items():
            out.setdefault(lang, {})[key] = text
    return out


from courses.services.package_read_quiz import _read_item, _read_question  # noqa: E402,F401  (re-exported)
