"""The questionnaire: a versioned YAML file shipped in ``readiness/questionnaires/``, validated with
line-level errors, turned into immutable :class:`Questionnaire` objects. Pure Python: no Flask.

File format (see ``questionnaires/digital-readiness-2025.1.yaml``)::

    kind: questionnaire
    id: digital-readiness            # the questionnaire's identity across versions
    version: "2025.1"
    status: published                # draft | published; a published version is immutable
    source_language: en
    title: {en: ..., fr: ...}
    previous:                        # optional: how this version maps onto the previous one
      version: "2024.1"
      dimensions: {new_dim: old_dim}
      items: {"1.1": "1.1", "1.6": null}   # new item -> old item (null: a new question)
    dimensions:
      - id: governance
        weight: 1.0
        articles: [17, 21]
        title: {en: ..., fr: ..., es: ..., ar: ..., zh: ..., ru: ...}
        items:
          - id: "1.1"                # stable identifier, unique in the file
            type: rubric             # rubric | yesno | checklist | number
            weight: 1                # > 0
            gate: true               # a low answer (score < 0.5) or "don't know" caps the level at 2
            na: true                 # offer "not applicable" (default true)
            dk: true                 # offer "don't know" (default true)
            show_if: "answer('1.1') != 'no'"   # skip logic on earlier items
            text: {en: ...}
            help: {en: ...}
            levels: [{en: ...} x 5]  # rubric: the description of levels 0..4
            options: [{id: x, label: {en: ...}}]   # checklist
            bands: [{id: x, label: {en: ...}, score: 0.5}]   # number: scores rise from 0 to 1
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from readiness import expr
from readiness.yamlfile import Problem, Problems, YAMLFileError, load_marked

LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")
ITEM_TYPES = ("rubric", "yesno", "checklist", "number")
YESNO_SCORES = {"yes": 1.0, "partly": 0.5, "no": 0.0}
NOT_APPLICABLE = "na"
DONT_KNOW = "dk"
SPECIAL = (NOT_APPLICABLE, DONT_KNOW)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,39}$")
_VERSION = re.compile(r"^\d{4}\.\d{1,3}$")
SHIPPED_DIR = Path(__file__).resolve().parent / "questionnaires"


def pick(texts: dict | None, lang: str, source: str = "en") -> tuple[str, str | None]:
    """The text in ``lang``, else in the source language. Returns ``(text, fallback_language)``, the
    second being ``None`` when ``lang`` itself was found."""
    texts = texts or {}
    if texts.get(lang):
        return texts[lang], None
    if texts.get(source):
        return texts[source], source
    for code, text in texts.items():
        if text:
            return text, code
    return "", None


@dataclass(frozen=True)
class Option:
    id: str
    label: dict
    score: float = 0.0


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    text: dict
    help: dict = field(default_factory=dict)
    weight: float = 1.0
    is_gate: bool = False
    allow_na: bool = True
    allow_dk: bool = True
    show_if: str | None = None
    levels: tuple = ()  # rubric: 5 dicts of text
    options: tuple = ()  # checklist options / number bands (Option)
    dimension_id: str = ""

    def score(self, value) -> float | None:
        """The 0-1 score of an answer value; ``None`` for "na", "dk", no answer or an invalid value."""
        if value is None or value in SPECIAL:
            return None
        if self.type == "rubric":
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 4:
                return value / 4
            return None
        if self.type == "yesno":
            return YESNO_SCORES.get(value) if isinstance(value, str) else None
        if self.type == "checklist":
            if not isinstance(value, list | tuple):
                return None
            ids = {o.id for o in self.options}
            ticked = {v for v in value if v in ids}
            if len(ticked) != len(set(value)):
                return None
            return len(ticked) / len(ids)
        if self.type == "number":
            for band in self.options:
                if band.id == value:
                    return band.score
            return None
        return None

    def valid(self, value) -> bool:
        if value == NOT_APPLICABLE:
            return self.allow_na
        if value == DONT_KNOW:
            return self.allow_dk
        return self.score(value) is not None

    def choices(self) -> list[str | int]:
        """The answer values in order from worst to best (checklist: the option ids)."""
        if self.type == "rubric":
            return [0, 1, 2, 3, 4]
        if self.type == "yesno":
            return ["no", "partly", "yes"]
        return [o.id for o in self.options]


@dataclass(frozen=True)
class Dimension:
    id: str
    title: dict
    description: dict
    weight: float
    articles: tuple
    items: tuple


@dataclass(frozen=True)
class Questionnaire:
    qid: str
    version: str
    status: str
    source_language: str
    title: dict
    description: dict
    dimensions: tuple
    previous: dict | None = None
    sha256: str = ""

    @property
    def items(self) -> dict[str, Item]:
        return {it.id: it for d in self.dimensions for it in d.items}

    def dimension(self, dim_id: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.id == dim_id), None)

    def item(self, item_id: str) -> Item | None:
        return self.items.get(item_id)

    def languages(self) -> list[str]:
        """Languages in which every item's text is present."""
        out = []
        for lang in LANGUAGES:
            if all(it.text.get(lang) for it in self.items.values()):
                out.append(lang)
        return out

    def to_dict(self) -> dict:
        return {
            "id": self.qid,
            "version": self.version,
            "status": self.status,
            "source_language": self.source_language,
            "title": self.title,
            "description": self.description,
            "previous": self.previous,
            "dimensions": [
                {
                    "id": d.id,
                    "title": d.title,
                    "description": d.description,
                    "weight": d.weight,
                    "articles": list(d.articles),
                    "items": [
                        {
                            "id": it.id,
                            "type": it.type,
                            "text": it.text,
                            "help": it.help,
                            "weight": it.weight,
                            "gate": it.is_gate,
                            "na": it.allow_na,
                            "dk": it.allow_dk,
                            "show_if": it.show_if,
                            "levels": list(it.levels),
                            **(
                                {"options": [{"id": o.id, "label": o.label} for o in it.options]}
                                if it.type == "checklist"
                                else {}
                            ),
                            **(
                                {
                                    "bands": [
                                        {"id": o.id, "label": o.label, "score": o.score} for o in it.options
                                    ]
                                }
                                if it.type == "number"
                                else {}
                            ),
                        }
                        for it in d.items
                    ],
                }
                for d in self.dimensions
            ],
        }


def from_dict(data: dict, sha256: str = "") -> Questionnaire:
    """Build from validated data (a parsed file or the stored copy)."""
    dims = []
    for d in data["dimensions"]:
        items = []
        for it in d["items"]:
            if it["type"] == "checklist":
                opts = tuple(Option(o["id"], dict(o["label"])) for o in it.get("options", []))
            elif it["type"] == "number":
                opts = tuple(
                    Option(str(b["id"]), dict(b["label"]), float(b["score"])) for b in it.get("bands", [])
                )
            else:
                opts = ()
            items.append(
                Item(
                    id=str(it["id"]),
                    type=it["type"],
                    text=dict(it["text"]),
                    help=dict(it.get("help") or {}),
                    weight=float(it.get("weight", 1)),
                    is_gate=bool(it.get("gate", False)),
                    allow_na=bool(it.get("na", True)),
                    allow_dk=bool(it.get("dk", True)),
                    show_if=it.get("show_if") or None,
                    levels=tuple(dict(x) for x in it.get("levels") or ()),
                    options=opts,
                    dimension_id=d["id"],
                )
            )
        dims.append(
            Dimension(
                id=d["id"],
                title=dict(d["title"]),
                description=dict(d.get("description") or {}),
                weight=float(d.get("weight", 1)),
                articles=tuple(int(a) for a in d.get("articles") or ()),
                items=tuple(items),
            )
        )
    return Questionnaire(
        qid=data["id"],
        version=str(data["version"]),
        status=data.get("status", "draft"),
        source_language=data.get("source_language", "en"),
        title=dict(data["title"]),
        description=dict(data.get("description") or {}),
        dimensions=tuple(dims),
        previous=data.get("previous") or None,
        sha256=sha256,
    )


# --- validation -----------------------------------------------------------------------------------


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
                raise expr.ExprError("must be an expression in quotes")
        except expr.ExprError as exc:
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
                    if old is not None and not isinstance(old, str):
                        p.add(("previous", "items", new_id), "map to the previous item id (quoted) or null")
                for new_id in prev.get("dimensions", {}):
                    if new_id not in dim_ids:
                        p.add(
                            ("previous", "dimensions", new_id),
                            f"{new_id!r} is not a dimension of this version",
                        )
    return p


def parse_text(text: str, filename: str = "") -> Questionnaire:
    """Validate and build a questionnaire from YAML text; raises :class:`YAMLFileError` listing every
    problem with its line. An invalid file never yields a questionnaire."""
    from readiness.scoring import skip_logic_problems

    data, marks = load_marked(text, filename)
    problems = validate(data, marks)
    problems.raise_if_any(filename)
    q = from_dict(data, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    for item_id, message in skip_logic_problems(q):
        problems.add(_item_path(data, item_id) + ("show_if",), message)
    problems.raise_if_any(filename)
    return q


def _item_path(data: dict, item_id: str) -> tuple:
    for di, d in enumerate(data["dimensions"]):
        for ii, it in enumerate(d["items"]):
            if it["id"] == item_id:
                return ("dimensions", di, "items", ii)
    return ()


def load_file(path: str | Path) -> Questionnaire:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YAMLFileError([Problem(None, "", f"cannot read the file: {exc}")], str(path)) from exc
    return parse_text(text, path.name)


def shipped_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("digital-readiness-*.yaml"))


__all__ = [
    "DONT_KNOW",
    "NOT_APPLICABLE",
    "Dimension",
    "Item",
    "Questionnaire",
    "YAMLFileError",
    "from_dict",
    "load_file",
    "parse_text",
    "pick",
    "shipped_files",
    "validate",
]
