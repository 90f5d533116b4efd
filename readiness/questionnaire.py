"""The questionnaire: a versioned YAML file shipped in ``readiness/questionnaires/``, read (validated
with line-level errors) by :mod:`readiness.questionnaire_file` into the immutable :class:`Questionnaire`
objects defined here. Pure Python: no Flask.

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
      items: {"1.1": "1.1", "1.6": null, "1.7": ["1.3", "1.4"]}
                                     # new item -> old item (null: a new question; a list: merged
                                     # items); see readiness/trend.py
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

from dataclasses import dataclass, field
from pathlib import Path

from readiness.questionnaire_schema import LANGUAGES

YESNO_SCORES = {"yes": 1.0, "partly": 0.5, "no": 0.0}
NOT_APPLICABLE = "na"
DONT_KNOW = "dk"
SPECIAL = (NOT_APPLICABLE, DONT_KNOW)
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


__all__ = [
    "DONT_KNOW",
    "NOT_APPLICABLE",
    "Dimension",
    "Item",
    "Questionnaire",
    "from_dict",
    "pick",
]
