"""Reading and validating a kit package (a folder that can live in git, or its zip), with the same rules
and refusals as course packages (:mod:`courses.services.package_read`)::

    kit.yaml     metadata, texts per language, case studies, best practices, the facilitator guide
                 (agenda, exercises, discussion questions), handouts and resources
    test.yaml    the pre/post test's questions (same format as a course quiz's questions)
    files/...    the files resources hold (``file: files/<name>``), checked by content as uploads are

:func:`read_kit_package` returns a *plan* or raises :class:`PackageError` listing every problem as
``(file, line, reason)``; nothing is written before the whole package is valid.
"""

from __future__ import annotations

import hashlib
import re

from flask_babel import gettext as _
from flask_babel import ngettext

from courses.models_kits import RESOURCE_TYPES
from courses.services import package_fields
from courses.services.errors import CourseError, PackageError
from courses.services.kits_files import FILE_RESOURCE_TYPES, check_kit_file
from courses.services.kits_texts import FIELDS
from courses.services.package_fields import Errors
from courses.services.package_read_quiz import read_question

KIT_KEYS = {
    "format",
    "id",
    "slug",
    "source_language",
    "languages",
    "articles",
    "region",
    "pass_mark",
    "translation_hashes",
    *FIELDS["kit"][0],
    *FIELDS["kit"][1],
}
# kit.yaml section -> part kind
SECTIONS = {
    "case_studies": "case_study",
    "practices": "practice",
    "agenda": "agenda",
    "exercises": "exercise",
    "discussion": "discussion",
    "handouts": "handout",
    "resources": "resource",
}
SETTING_KEYS = {
    "case_study": {"country"},
    "agenda": {"minutes"},
    "exercise": {"minutes"},
    "resource": {"url", "file", "type"},
}
FILES_FOLDER = "files"
TEST_KEYS = {"questions"}


def _texts(node, ptype, path, errors: Errors, source, languages) -> dict[str, dict]:
    """The translatable fields of a node as ``{lang: fields}``; every listed language must be complete."""
    required, optional = FIELDS[ptype]
    per_key = {
        k: package_fields.read_lang_map(node, k, path, errors, source, required=k in required)
        for k in (*required, *optional)
    }
    out: dict[str, dict] = {}
    for key, per_lang in per_key.items():
        for lang, text in per_lang.items():
            out.setdefault(lang, {})[key] = text
    for lang in languages:
        for key in required:
            if key in per_key and per_key[key] and lang not in per_key[key]:
                errors.add(
                    path,
                    node.line_of(key),
                    _("%(key)s: missing the %(lang)s translation", key=key, lang=lang),
                )
    return out


def _settings(node, kind, path, errors: Errors, files: dict[str, bytes], blobs: dict[str, bytes]) -> dict:
    out = {}
    if kind == "case_study" and node.get("country") is not None:
        code = str(node.get("country")).strip().upper()
        if not re.match(r"^[A-Z]{2}$", code):
            errors.add(path, node.line_of("country"), _("country must be a two-letter ISO code"))
        out["country"] = code
    if kind in ("agenda", "exercise"):
        out["minutes"] = package_fields.read_int(node, "minutes", path, errors, 30, 1, 600)
        if kind == "agenda" and "minutes" not in node:
            errors.add(path, node.line, _("missing required key %(key)s", key="minutes"))
    if kind == "resource" and "file" in node:
        out.update(_resource_file(node, path, errors, files, blobs))
    elif kind == "resource":
        url = str(node.get("url") or "")
        if not re.match(r"^https?://[^\s/]+", url) or len(url) > 1000:
            errors.add(
                path,
                node.line_of("url") if "url" in node else node.line,
                _("url must be an address starting with http:// or https://"),
            )
        rtype = node.get("type", "link")
        if rtype not in RESOURCE_TYPES:
            errors.add(
                path,
                node.line_of("type"),
                _("type must be one of %(types)s", types=", ".join(RESOURCE_TYPES)),
            )
            rtype = "link"
        out.update(url=url, type=rtype)
    return out


def _resource_file(node, path, errors: Errors, files: dict[str, bytes], blobs: dict[str, bytes]) -> dict:
    """A resource holding a file of the package (``file: files/<name>``), checked as an upload is;
    its bytes go to ``blobs`` by path. Slides and documents only, never with an address too."""
    line = node.line_of("file")
    name = node.get("file")
    rtype = node.get("type", "link")
    if "url" in node:
        errors.add(path, line, _("a resource has either url or file, not both"))
    if rtype not in FILE_RESOURCE_TYPES:
        errors.add(path, line, _("type must be one of %(types)s", types=", ".join(FILE_RESOURCE_TYPES)))
    if not isinstance(name, str) or not name.startswith(FILES_FOLDER + "/") or name not in files:
        errors.add(
            path, line, _("file must name a file of the package under %(folder)s/", folder=FILES_FOLDER)
        )
        return {}
    data = blobs[name] = files[name]  # stored only if the whole package is valid
    try:
        meta = check_kit_file(name.rsplit("/", 1)[-1], data)
    except CourseError as exc:
        errors.add(name, "", str(exc))
        return {}
    return {"type": rtype, "file": {"sha256": hashlib.sha256(data).hexdigest(), **meta}}


def read_kit_package(files: dict[str, bytes]) -> dict:
    errors = Errors()
    path = "kit.yaml"
    if path not in files:
        errors.add(path, "", _("missing: every kit package has a kit.yaml at its root"))
        raise PackageError(_("The package is refused."), errors=errors.items)
    root = package_fields.read_yaml(files, path, errors)
    if root is None:
        raise PackageError(_("The package is refused."), errors=errors.items)
    package_fields.report_unknown(root, KIT_KEYS | set(SECTIONS), path, errors)
    if root.get("format", 1) != 1:
        errors.add(path, root.line_of("format"), _("format must be 1"))
    source, languages, slug = package_fields.read_identity(root, path, errors)
    articles = package_fields.read_articles(root, path, errors)
    region = root.get("region", "")
    if not isinstance(region, str) or len(region) > 120:
        errors.add(path, root.line_of("region"), _("region must be a text of at most 120 characters"))
        region = ""
    seen: set = set()
    plan = {
        "uuid": package_fields.read_id(root, path, errors, seen),
        "slug": slug,
        "source_language": source,
        "languages": languages,
        "articles": sorted(set(articles)),
        "region": region,
        "pass_mark": package_fields.read_int(root, "pass_mark", path, errors, 70, 0, 100),
        "texts": _texts(root, "kit", path, errors, source, languages),
        "parts": [],
        "questions": [],
        "hashes": package_fields.read_hashes(root, path, errors),
        "blobs": {},
    }
    for section, kind in SECTIONS.items():
        nodes = root.get(section, [])
        if not isinstance(nodes, list):
            errors.add(path, root.line_of(section), _("%(key)s must be a list", key=section))
            continue
        for n, node in enumerate(nodes):
            if not isinstance(node, dict):
                errors.add(path, nodes.line_of(n), _("each entry of %(key)s must be a mapping", key=section))
                continue
            allowed = {"id", *FIELDS[kind][0], *FIELDS[kind][1], *SETTING_KEYS.get(kind, set())}
            package_fields.report_unknown(node, allowed, path, errors)
            plan["parts"].append(
                {
                    "uuid": package_fields.read_id(node, path, errors, seen),
                    "kind": kind,
                    "settings": _settings(node, kind, path, errors, files, plan["blobs"]),
                    "texts": _texts(node, kind, path, errors, source, languages),
                }
            )
    tpath = "test.yaml"
    if tpath not in files:
        errors.add(tpath, "", _("missing: the pre/post test (test.yaml)"))
    else:
        tnode = package_fields.read_yaml(files, tpath, errors)
        if tnode is not None:
            package_fields.report_unknown(tnode, TEST_KEYS, tpath, errors)
            questions = tnode.get("questions")
            if not isinstance(questions, list) or not questions:
                errors.add(tpath, tnode.line_of("questions"), _("questions must be a non-empty list"))
                questions = []
            for n, qnode in enumerate(questions):
                q = read_question(qnode, questions.line_of(n), tpath, source, languages, seen, errors)
                if q is not None:
                    plan["questions"].append(q)
    for name in files:
        if name not in (path, tpath, *plan["blobs"]) and not re.match(
            r"^(README|LICENSE|CHANGELOG)[^/]*$", name, re.I
        ):
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
