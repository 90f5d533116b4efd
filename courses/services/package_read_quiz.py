"""Reading the steps of a course package (lessons, quiz files and xAPI/cmi5 packages) and quiz questions,
for :mod:`courses.services.package_read` (and :mod:`.kits_package_read`, whose tests have questions)."""

from __future__ import annotations

from flask_babel import gettext as _

from courses.models import QUESTION_KINDS
from courses.services import questions as qs
from courses.services.errors import CourseError
from courses.services.package_fields import (
    SLUG_RE,
    Errors,
    by_language,
    is_uuid,
    read_bool,
    read_front_matter,
    read_id,
    read_int,
    read_lang_map,
    read_text,
    read_yaml,
    report_unknown,
)
from courses.services.texts import is_complete
from lms.config import LANGUAGES

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


def read_item(files, inode, line, plan, languages, seen, slugs, expected, errors: Errors) -> dict | None:
    """One step of a unit in ``course.yaml`` with its files, or None when it cannot be read (reported)."""
    path, source = "course.yaml", plan["source_language"]
    if not isinstance(inode, dict):
        errors.add(path, line, _("each item must be a mapping with lesson: or quiz:"))
        return None
    report_unknown(inode, ITEM_KEYS, path, errors)
    kinds = [k for k in ("lesson", "quiz", "package") if k in inode]
    if len(kinds) != 1:
        errors.add(path, inode.line, _("each item needs exactly one of lesson:, quiz: or package:"))
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
        "uuid": read_id(inode, path, errors, seen),
        "slug": slug,
        "required": read_bool(inode, "required", path, errors, True),
        "minutes": read_int(inode, "minutes", path, errors, 10, 1, 1000),
        "settings": {},
        "texts": {},
    }
    if kind == "package":
        return _read_package_item(files, inode, item, plan, languages, seen, expected, errors)
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
            text = read_text(files, fpath, errors)
            if text is None:
                continue
            meta, body = read_front_matter(text, fpath, errors)
            if not body.strip():
                errors.add(fpath, "", _("the lesson text is empty"))
            item["texts"][lang] = {"title": str(meta.get("title") or "").strip(), "body": body}
        return item
    qpath = f"quizzes/{slug}.yaml"
    expected.add(qpath)
    if qpath not in files:
        errors.add(qpath, "", _("missing: the file of quiz %(slug)s", slug=slug))
        return item
    qnode = read_yaml(files, qpath, errors)
    if qnode is None:
        return item
    report_unknown(qnode, QUIZ_KEYS, qpath, errors)
    texts = {
        "title": read_lang_map(qnode, "title", qpath, errors, source, required=True),
        "intro": read_lang_map(qnode, "intro", qpath, errors, source),
    }
    for lang in languages:
        if lang not in texts["title"]:
            errors.add(qpath, qnode.line_of("title"), _("title: missing the %(lang)s translation", lang=lang))
    item["texts"] = by_language(texts)
    item["settings"] = {
        "pass_mark": read_int(qnode, "pass_mark", qpath, errors, 70, 0, 100),
        "max_attempts": read_int(qnode, "max_attempts", qpath, errors, 0, 0, 100),
        "shuffle": read_bool(qnode, "shuffle", qpath, errors, True),
        "draw": read_int(qnode, "draw", qpath, errors, 0, 0, 500),
    }
    questions = qnode.get("questions")
    if not isinstance(questions, list) or not questions:
        errors.add(qpath, qnode.line_of("questions"), _("questions must be a non-empty list"))
        questions = []
    read = (
        read_question(node, questions.line_of(n), qpath, source, languages, seen, errors)
        for n, node in enumerate(questions)
    )
    item["questions"] = [q for q in read if q is not None]
    if item["settings"]["draw"] > len(item["questions"]):
        errors.add(qpath, qnode.line_of("draw"), _("draw is larger than the number of questions"))
    return item


def read_question(qnode, line, path, source, languages, seen, errors: Errors) -> dict | None:
    """One question of a quiz or test file, or None when it cannot be read (reported)."""
    if not isinstance(qnode, dict):
        errors.add(path, line, _("each question must be a mapping"))
        return None
    report_unknown(qnode, QUESTION_KEYS, path, errors)
    kind = qnode.get("kind")
    if kind not in QUESTION_KINDS:
        errors.add(
            path, qnode.line_of("kind"), _("kind must be one of %(kinds)s", kinds=", ".join(QUESTION_KINDS))
        )
        return None
    uuid = read_id(qnode, path, errors, seen)
    per_lang: dict[str, dict] = {}
    for key in ("prompt", "feedback_correct", "feedback_incorrect"):
        for lang, text in read_lang_map(qnode, key, path, errors, source, required=key == "prompt").items():
            per_lang.setdefault(lang, {})[key] = text
    if kind == "fillin":
        for lang, texts in read_lang_map(
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
            report_unknown(row, ROW_KEYS[key], path, errors)
            ident = str(
                row.get("id") or (defaults[n] if defaults and n < len(defaults) else f"{key[0]}{n + 1}")
            )
            entry = {"id": ident, "correct": row.get("correct") is True}
            for sub in ROW_KEYS[key] - {"id", "correct"}:
                for lang, text in read_lang_map(row, sub, path, errors, source).items():
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


def _read_package_item(files, inode, item, plan, languages, seen, expected, errors: Errors) -> dict:
    """An imported xAPI/cmi5 package travels as ``packages/<slug>/`` (its files, manifest included)."""
    from courses.services.errors import PackageError
    from courses.services.xapi_manifest import read_manifest

    path, source, slug = "course.yaml", plan["source_language"], item["slug"]
    prefix = f"packages/{slug}/"
    sub = {name[len(prefix) :]: data for name, data in files.items() if name.startswith(prefix)}
    expected.update(prefix + name for name in sub)
    if not sub:
        errors.add(prefix, "", _("missing: the files of package %(slug)s", slug=slug))
        return item
    try:
        meta = read_manifest(sub)
    except PackageError as exc:
        for file, line, reason in exc.errors:
            errors.add(prefix + file, line, reason)
        return item
    texts = {k: read_lang_map(inode, k, path, errors, source) for k in ("title", "description")}
    texts["title"].setdefault(source, meta["title"])
    if not texts["title"].get(source):
        errors.add(path, inode.line, _("package %(slug)s needs a title", slug=slug))
    if meta["description"]:
        texts["description"].setdefault(source, meta["description"])
    package_id = inode.get("package_id")
    if package_id is not None and not is_uuid(package_id):
        errors.add(path, inode.line_of("package_id"), _("package_id must be a UUID"))
        package_id = None
    item["texts"] = by_language(texts)
    item["package"] = {"meta": meta, "files": sub, "uuid": package_id}
    item["minutes"] = item["minutes"]
    return item
