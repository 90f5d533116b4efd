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

from flask_babel import gettext as _
from flask_babel import ngettext

from courses.models import LEVELS
from courses.services.errors import CourseError, PackageError
from courses.services.media import check_media
from courses.services.package_fields import (
    Errors,
    by_language,
    read_articles,
    read_bool,
    read_hashes,
    read_id,
    read_identity,
    read_int,
    read_lang_map,
    read_yaml,
    report_unknown,
)
from courses.services.package_read_quiz import read_item

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


def read_package(files: dict[str, bytes]) -> dict:
    """Validate a whole package; return the plan or raise :class:`PackageError` with every error."""
    errors = Errors()
    root = read_yaml(files, "course.yaml", errors)
    if "course.yaml" not in files:
        errors.add("course.yaml", "", _("missing: every package has a course.yaml at its root"))
    if root is None:
        raise PackageError(_("The package is refused."), errors=errors.items)
    path = "course.yaml"
    report_unknown(root, COURSE_KEYS, path, errors)
    source, languages, slug = read_identity(root, path, errors)
    level = root.get("level", "introductory")
    if level not in LEVELS:
        errors.add(
            path, root.line_of("level"), _("level must be one of %(levels)s", levels=", ".join(LEVELS))
        )
        level = "introductory"
    articles = read_articles(root, path, errors)
    prerequisites = root.get("prerequisites", [])
    if not isinstance(prerequisites, list) or any(not isinstance(p, str) for p in prerequisites):
        errors.add(
            path, root.line_of("prerequisites"), _("prerequisites must be a list of module short names")
        )
        prerequisites = []
    seen: set = set()
    plan = {
        "uuid": read_id(root, path, errors, seen),
        "slug": slug,
        "source_language": source,
        "languages": languages,
        "level": level,
        "estimated_minutes": read_int(root, "estimated_minutes", path, errors, 30, 1, 10000),
        "articles": sorted(set(articles)),
        "prerequisites": prerequisites,
        "is_certificate": read_bool(root, "certificate", path, errors, True),
        "texts": {},
        "units": [],
        "media": {},
        "hashes": {},
    }
    course_texts = {
        k: read_lang_map(root, k, path, errors, source, required=k != "audience")
        for k in ("title", "summary", "audience")
    }
    plan["texts"] = by_language(course_texts)
    for lang in languages:
        for key in ("title", "summary"):
            if lang not in course_texts[key]:
                errors.add(
                    path,
                    root.line_of(key),
                    _("%(key)s: missing the %(lang)s translation", key=key, lang=lang),
                )
    plan["hashes"] = read_hashes(root, path, errors)
    units = root.get("units")
    if not isinstance(units, list) or not units:
        errors.add(path, root.line_of("units"), _("units must be a non-empty list"))
        units = []
    expected, slugs = {"course.yaml"}, set()
    for n, unode in enumerate(units):
        if not isinstance(unode, dict):
            errors.add(path, units.line_of(n), _("each unit must be a mapping"))
            continue
        report_unknown(unode, UNIT_KEYS, path, errors)
        utexts = {"title": read_lang_map(unode, "title", path, errors, source, required=True)}
        for lang in languages:
            if lang not in utexts["title"]:
                errors.add(
                    path, unode.line_of("title"), _("unit title: missing the %(lang)s translation", lang=lang)
                )
        unit = {"uuid": read_id(unode, path, errors, seen), "texts": by_language(utexts), "items": []}
        items = unode.get("items", [])
        if not isinstance(items, list):
            errors.add(path, unode.line_of("items"), _("items must be a list"))
            items = []
        for m, inode in enumerate(items):
            item = read_item(files, inode, items.line_of(m), plan, languages, seen, slugs, expected, errors)
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
