"""Validation of a questionnaire file: every problem, with the line it is on (see
:mod:`readiness.yamlfile`). Used by :func:`readiness.questionnaire_file.parse_text`."""

from __future__ import annotations

import re

from readiness import expr
from readiness.expr_syntax import ExprError
from readiness.yamlfile import Problems

LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")
ITEM_TYPES = ("rubric", "yesno", "checklist", "number")
SPECIAL = ("na", "dk")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,39}$")
_VERSION = re.compile(r"^\d{4}\.\d{1,3}$")


def _check_texts(p: Problems, path, value, source: str, required: bool = True, need=()) -> None:
    if value is None and not required:
        return
    if not isinstance(value, dict) or not value:
        p.add(path, "must be a mapping of language code to text, e.g. {en: ..., fr: ...}")
        return
    for lang, text in value.items():
        if lang not in LANGUAGES:
            p.add((*path, lang), f"unknown language {lang!r} (use {', '.join(LANGUAGES)})")
        elif not isinstance(text, str) or not text.strip():
            p.add((*path, lang), "must be non-empty text")
    for lang in {source, *need}:
        if lang not in value:
            p.add(path, f"text in {lang!r} is missing")


def _number(p: Problems, path, value, *, positive=False, unit=False) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        p.add(path, "must be a number")
        return False
    if positive and not value > 0:
        p.add(path, "must be greater than 0")
        return False
    if unit and not 0 <= value <= 1:
        p.add(path, "must be between 0 and 1")
        return False
    return True


def _check_item(p, path, it, source, seen_items, dim_ids, earlier_items):
    if not isinstance(it, dict):
        p.add(path, "an item must be a mapping")
        return None
    known = {
        "id",
        "type",
        "text",
        "help",
        "weight",
        "gate",
        "na",
        "dk",
        "show_if",
        "levels",
        "options",
        "bands",
    }
    for key in it:
        if key not in known:
            p.add((*path, key), f"unknown key {key!r}")
    item_id = it.get("id")
    if not isinstance(item_id, str) or not _ID.match(item_id):
        p.add((*path, "id"), 'an item id must be a quoted string like "2.3" (letters, digits, . _ -)')
        item_id = None
    elif item_id in seen_items:
        p.add((*path, "id"), f"item id {item_id!r} is used twice")
    else:
        seen_items.add(item_id)
    kind = it.get("type")
    if kind not in ITEM_TYPES:
        p.add((*path, "type"), f"type must be one of {', '.join(ITEM_TYPES)}")
    _check_texts(p, (*path, "text"), it.get("text"), source, need=("fr", "es"))
    _check_texts(p, (*path, "help"), it.get("help"), source, required=False)
    if "weight" in it:
        _number(p, (*path, "weight"), it["weight"], positive=True)
    for flag in ("gate", "na", "dk"):
        if flag in it and not isinstance(it[flag], bool):
            p.add((*path, flag), "must be true or false")
    if kind == "rubric":
        levels = it.get("levels")
        if not isinstance(levels, list) or len(levels) != 5:
            p.add((*path, "levels"), "a rubric needs exactly 5 level descriptions (0 to 4)")
        else:
            for i, lvl in enumerate(levels):
                _check_texts(p, (*path, "levels", i), lvl, source, need=("fr", "es"))
    elif "levels" in it:
        p.add((*path, "levels"), "only rubric items have levels")
    if kind == "checklist":
        opts = it.get("options")
        if not isinstance(opts, list) or not 2 <= len(opts) <= 12:
            p.add((*path, "options"), "a checklist needs 2 to 12 options")
        else:
            ids = set()
            for i, o in enumerate(opts):
                if not isinstance(o, dict) or not isinstance(o.get("id"), str) or not _ID.match(o["id"]):
                    p.add((*path, "options", i), "an option needs an id (letters, digits, . _ -) and a label")
                    continue
                if o["id"] in ids or o["id"] in SPECIAL:
                    p.add((*path, "options", i, "id"), f"option id {o['id']!r} is repeated or reserved")
                ids.add(o["id"])
                _check_texts(p, (*path, "options", i, "label"), o.get("label"), source, need=("fr", "es"))
    elif "options" in it:
        p.add((*path, "options"), "only checklist items have options")
    if kind == "number":
        bands = it.get("bands")
        if not isinstance(bands, list) or not 2 <= len(bands) <= 8:
            p.add((*path, "bands"), "a number item needs 2 to 8 bands")
        else:
            ids, last = set(), -1.0
            for i, b in enumerate(bands):
                if not isinstance(b, dict) or not isinstance(b.get("id"), str) or not _ID.match(b["id"]):
                    p.add((*path, "bands", i), "a band needs an id (a quoted string), a label and a score")
                    last = None
                    break
                if b["id"] in ids or b["id"] in SPECIAL:
                    p.add((*path, "bands", i, "id"), f"band id {b['id']!r} is repeated or reserved")
                ids.add(b["id"])
                _check_texts(p, (*path, "bands", i, "label"), b.get("label"), source, need=("fr", "es"))
                if _number(p, (*path, "bands", i, "score"), b.get("score"), unit=True):
                    if b["score"] < last:
                        p.add((*path, "bands", i, "score"), "band scores must not decrease")
                    last = b["score"]
            if last is not None and last != 1:
                p.add((*path, "bands"), "the last band must score 1")
    elif "bands" in it:
        p.add((*path, "bands"), "only number items have bands")
    show_if = it.get("show_if")
    if show_if is not None:
        try:
            tree = expr.parse(show_if) if isinstance(show_if, str) else None
            if tree is None:
                raise ExprError("must be an expression in quotes")
        except ExprError as exc:
            p.add((*path, "show_if"), f"invalid expression: {exc}")
        else:
            for kind_ref, name in expr.references(tree):
                if kind_ref == "item" and name not in earlier_items:
                    p.add((*path, "show_if"), f"refers to {name!r}, which is not an earlier item")
                if kind_ref == "dimension":
                    p.add((*path, "show_if"), "skip logic may only use answers of earlier items")
    return item_id


def validate(data, marks) -> Problems:
    """Every problem of a parsed questionnaire file, each with its line."""
    p = Problems(marks)
    if not isinstance(data, dict):
        p.add((), "the file must be a mapping with kind, id, version, title and dimensions")
        return p
    known = {
        "kind",
        "id",
        "version",
        "status",
        "source_language",
        "title",
        "description",
        "previous",
        "dimensions",
    }
    for key in data:
        if key not in known:
            p.add((key,), f"unknown key {key!r}")
    if data.get("kind") != "questionnaire":
        p.add(("kind",), "kind must be 'questionnaire'")
    if not isinstance(data.get("id"), str) or not _ID.match(data.get("id") or ""):
        p.add(("id",), "id must be a short identifier like digital-readiness")
    if not isinstance(data.get("version"), str) or not _VERSION.match(data.get("version") or ""):
        p.add(("version",), 'version must be a quoted string like "2025.1" (year.number)')
    if data.get("status", "draft") not in ("draft", "published"):
        p.add(("status",), "status must be draft or published")
    source = data.get("source_language", "en")
    if source not in LANGUAGES:
        p.add(("source_language",), f"source_language must be one of {', '.join(LANGUAGES)}")
        source = "en"
    _check_texts(p, ("title",), data.get("title"), source)
    _check_texts(p, ("description",), data.get("description"), source, required=False)
    dims = data.get("dimensions")
    seen_items: set = set()
    dim_ids: list[str] = []
    if not isinstance(dims, list) or not dims:
        p.add(("dimensions",), "dimensions must be a non-empty list")
        dims = []
    for di, d in enumerate(dims):
        path = ("dimensions", di)
        if not isinstance(d, dict):
            p.add(path, "a dimension must be a mapping")
            continue
        for key in d:
            if key not in {"id", "title", "description", "weight", "articles", "items"}:
                p.add((*path, key), f"unknown key {key!r}")
        did = d.get("id")
        if not isinstance(did, str) or not _ID.match(did):
            p.add((*path, "id"), "a dimension id must be a short identifier")
        elif did in dim_ids:
            p.add((*path, "id"), f"dimension id {did!r} is used twice")
        else:
            dim_ids.append(did)
        _check_texts(p, (*path, "title"), d.get("title"), source, need=LANGUAGES)
        _check_texts(p, (*path, "description"), d.get("description"), source, required=False)
        if "weight" in d:
            _number(p, (*path, "weight"), d["weight"], positive=True)
        arts = d.get("articles", [])
        if not isinstance(arts, list) or not all(isinstance(a, int) and 1 <= a <= 35 for a in arts):
            p.add((*path, "articles"), "articles must be a list of article numbers (1-35)")
        items = d.get("items")
        if not isinstance(items, list) or not items:
            p.add((*path, "items"), "a dimension needs a list of items")
            continue
        for ii, it in enumerate(items):
            _check_item(p, (*path, "items", ii), it, source, seen_items, dim_ids, set(seen_items))
    prev = data.get("previous")
    if prev is not None:
        if not isinstance(prev, dict) or not isinstance(prev.get("version"), str):
            p.add(("previous",), "previous must give the previous version and its item mapping")
        else:
            for key in prev:
                if key not in ("version", "dimensions", "items"):
                    p.add(("previous", key), f"unknown key {key!r}")
            if not isinstance(prev.get("items", {}), dict) or not isinstance(
                prev.get("dimensions", {}), dict
            ):
                p.add(("previous",), "previous.items and previous.dimensions must be mappings")
            else:
                for new_id, old in prev.get("items", {}).items():
                    if str(new_id) not in seen_items:
                        p.add(("previous", "items", new_id), f"{new_id!r} is not an item of this version")
                    merged = isinstance(old, list) and old and all(isinstance(o, str) for o in old)
                    if old is not None and not isinstance(old, str) and not merged:
                        p.add(
                            ("previous", "items", new_id),
                            "map to the previous item id (quoted), a list of them (merged items) or null",
                        )
                for new_id in prev.get("dimensions", {}):
                    if new_id not in dim_ids:
                        p.add(
                            ("previous", "dimensions", new_id),
                            f"{new_id!r} is not a dimension of this version",
                        )
    return p
