"""The reading steps shared by course and kit packages (:mod:`.package_read`, :mod:`.package_read_quiz`,
:mod:`.kits_package_read`): the list of problems, text and YAML files, unknown keys, per-language texts,
numbers, flags, ids, front matter and the identity of a package's root file."""

from __future__ import annotations

import re
import uuid as uuidlib

from flask_babel import gettext as _

from courses.models import RESERVED_SLUGS
from courses.services import yamlines
from lms.config import LANGUAGES

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_KEYS = {"title"}
MAX_TEXT_FILE = 2 * 1024 * 1024


class Errors:
    """Every problem found in a package, as ``(file, line, reason)``, gathered before refusing it."""

    def __init__(self):
        self.items: list[tuple[str, int | str, str]] = []

    def add(self, file: str, line, reason: str) -> None:
        self.items.append((file, line or "", str(reason)))


def is_uuid(value) -> bool:
    """Whether ``value`` is a UUID in its canonical text form."""
    try:
        return str(uuidlib.UUID(str(value))) == str(value)
    except ValueError:
        return False


def read_text(files: dict, path: str, errors: Errors) -> str | None:
    """The UTF-8 text of ``path`` (None when absent, too large or not UTF-8, reported)."""
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


def read_yaml(files: dict, path: str, errors: Errors):
    """The YAML mapping in ``path`` (None when absent or malformed, reported)."""
    text = read_text(files, path, errors)
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


def report_unknown(node, allowed: set, path: str, errors: Errors) -> None:
    """Report every key of ``node`` that is not in ``allowed``."""
    for key in node:
        if key not in allowed:
            errors.add(path, node.line_of(key), _("unknown key %(key)s", key=key))


def read_lang_map(node, key, path, errors: Errors, source: str, *, required=False, kind=str) -> dict:
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


def read_int(node, key, path, errors: Errors, default: int, low: int, high: int) -> int:
    """``node[key]`` as a whole number from ``low`` to ``high``, else reported and ``default``."""
    value = node.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors.add(
            path,
            node.line_of(key),
            _("%(key)s must be a whole number from %(low)s to %(high)s", key=key, low=low, high=high),
        )
        return default
    return value


def read_bool(node, key, path, errors: Errors, default: bool) -> bool:
    """``node[key]`` as true or false, else reported and ``default``."""
    value = node.get(key, default)
    if not isinstance(value, bool):
        errors.add(path, node.line_of(key), _("%(key)s must be true or false", key=key))
        return default
    return value


def read_id(node, path, errors: Errors, seen: set) -> str:
    """The node's ``id`` (a UUID, unique in ``seen``), or a new one."""
    value = node.get("id")
    if value is None:
        return str(uuidlib.uuid4())
    if not is_uuid(value):
        errors.add(path, node.line_of("id"), _("id must be a UUID such as 6f1c…-…"))
        return str(uuidlib.uuid4())
    if value in seen:
        errors.add(path, node.line_of("id"), _("id %(id)s is used twice", id=value))
    seen.add(value)
    return str(value)


def read_front_matter(text: str, path: str, errors: Errors) -> tuple[dict, str]:
    """A lesson's ``(front matter, body)``; its front matter holds only a title."""
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
    report_unknown(meta, FRONT_KEYS, path, errors)
    if not str(meta.get("title") or "").strip():
        errors.add(path, 2, _("missing required key %(key)s", key="title"))
    return meta, "\n".join(lines[end + 1 :]).strip("\n")


def read_identity(root, path: str, errors: Errors) -> tuple[str, list[str], str]:
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


def read_articles(root, path: str, errors: Errors) -> list[int]:
    """The Convention article numbers (1 to 35) of a package's root file, empty when malformed."""
    articles = root.get("articles", [])
    if not isinstance(articles, list) or any(
        isinstance(a, bool) or not isinstance(a, int) or not 1 <= a <= 35 for a in articles
    ):
        errors.add(path, root.line_of("articles"), _("articles must be a list of numbers from 1 to 35"))
        articles = []
    return articles


def read_hashes(root, path: str, errors: Errors) -> dict[str, dict[str, str]]:
    """The recorded ``translation_hashes`` (language -> id -> source hash), empty when malformed."""
    hashes = root.get("translation_hashes", {})
    if not isinstance(hashes, dict) or any(not isinstance(v, dict) for v in hashes.values()):
        errors.add(
            path, root.line_of("translation_hashes"), _("translation_hashes must map language -> id -> hash")
        )
        return {}
    return {str(lang): {str(k): str(v) for k, v in m.items()} for lang, m in hashes.items()}


def by_language(fields_by_key: dict[str, dict[str, str]]) -> dict[str, dict]:
    """``{key: {lang: text}}`` turned into ``{lang: {key: text}}``."""
    out: dict[str, dict] = {}
    for key, per_lang in fields_by_key.items():
        for lang, text in per_lang.items():
            out.setdefault(lang, {})[key] = text
    return out
