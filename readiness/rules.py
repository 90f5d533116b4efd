"""Recommendation rules: a versioned YAML file of conditions (in the :mod:`readiness.expr` language) on
answers and dimension levels, each recommending learning resources from the core registry and
advisory services, with the reason shown to the reader. Pure Python: no Flask, no database (resources
are found through a ``resolver`` the caller passes in).

File format (see ``questionnaires/recommendations-2025.1.yaml``)::

    kind: recommendation-rules
    version: "2025.1"
    questionnaire: digital-readiness
    reporting_deadlines: ["2025-12-31"]   # Article 21 reporting deadlines
    urgency: {window_days: 365, factor: 1.5}
    services:
      - id: reporting-review
        title: {en: ..., fr: ...}
        description: {en: ...}
        articles: [21]
    rules:
      - id: reporting-tool-accounts
        dimension: reporting
        when: "answer('2.3') == 'no' or level('reporting') <= 2"
        urgent: true                  # weighs more when a reporting deadline is near
        reason: {en: ...}             # optional text added to the generated reasons
        recommend:
          - resource: {kind: course, key: national-reporting}
          - resources: {kinds: [course, webinar_chapter], articles: [21], limit: 2}
          - search: {text: reporting, kinds: [webinar_chapter], limit: 1}
          - service: reporting-review

Priority of a recommendation = gap x dimension weight (x urgency), where gap = 1 - the dimension's score.
Duplicates (the same resource or service from several rules) are merged, keeping the highest priority
and every reason; at most :data:`MAX_PER_DIMENSION` per dimension and :data:`MAX_TOTAL` overall.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from readiness import expr
from readiness.expr_syntax import ExprError
from readiness.questionnaire import LANGUAGES, SHIPPED_DIR, Questionnaire
from readiness.scoring import AnswerContext, Profile
from readiness.yamlfile import Problem, Problems, YAMLFileError, load_marked

MAX_PER_DIMENSION = 3
MAX_TOTAL = 7
RESOURCE_KINDS = ("course", "webinar", "webinar_chapter", "kit", "workshop", "advisory")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")
_VERSION = re.compile(r"^\d{4}\.\d{1,3}$")


@dataclass(frozen=True)
class Service:
    id: str
    title: dict
    description: dict
    articles: tuple = ()


@dataclass(frozen=True)
class Rule:
    id: str
    dimension: str
    when: str
    tree: object
    recommend: (
        tuple  # of dicts: {"resource": {...}} | {"resources": {...}} | {"search": {...}} | {"service": id}
    )
    urgent: bool = False
    reason: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSet:
    version: str
    questionnaire: str
    rules: tuple
    services: dict
    deadlines: tuple = ()
    window_days: int = 365
    urgency_factor: float = 1.5
    sha256: str = ""

    def urgency(self, today: date) -> float:
        """The urgency factor when a reporting deadline falls within the window from ``today``."""
        for deadline in self.deadlines:
            if 0 <= (deadline - today).days <= self.window_days:
                return self.urgency_factor
        return 1.0


class RuleContext(AnswerContext):
    """Answers, plus the dimensions' levels and scores."""

    def __init__(self, questionnaire: Questionnaire, answers: Mapping, profile: Profile):
        visible = {k: s.is_shown for k, s in profile.states.items()}
        super().__init__(questionnaire, answers, visible)
        self.profile = profile

    def call(self, name, args):
        if name in ("level", "score"):
            dim = self.profile.dimensions.get(args[0])
            if dim is None:
                return None
            return dim.level if name == "level" else dim.score
        return super().call(name, args)


# --- loading -------------------------------------------------------------------------------------


def _texts_ok(p: Problems, path, value, required=True) -> None:
    if value is None and not required:
        return
    if not isinstance(value, dict) or "en" not in value:
        p.add(path, "must be a mapping of language code to text with at least 'en'")
        return
    for lang, text in value.items():
        if lang not in LANGUAGES or not isinstance(text, str) or not text.strip():
            p.add((*path, lang), "unknown language or empty text")


def _check_recommend(p: Problems, path, entry, services) -> None:
    if not isinstance(entry, dict) or len(entry) != 1:
        p.add(path, "each entry is one of resource:, resources:, search: or service:")
        return
    ((kind, spec),) = entry.items()
    if kind == "service":
        if spec not in services:
            p.add(path, f"unknown service {spec!r}")
        return
    if kind not in ("resource", "resources", "search") or not isinstance(spec, dict):
        p.add(path, "each entry is one of resource:, resources:, search: or service:")
        return
    kinds = spec.get("kinds", [spec["kind"]] if "kind" in spec else [])
    if not isinstance(kinds, list) or any(k not in RESOURCE_KINDS for k in kinds):
        p.add(path, f"kinds must be among {', '.join(RESOURCE_KINDS)}")
    if kind == "resource" and not (isinstance(spec.get("kind"), str) and isinstance(spec.get("key"), str)):
        p.add(path, "resource needs kind and key")
    if kind == "resources":
        arts = spec.get("articles")
        if not isinstance(arts, list) or not arts or not all(isinstance(a, int) for a in arts):
            p.add(path, "resources needs a list of article numbers")
    if kind == "search" and not (isinstance(spec.get("text"), str) and spec["text"].strip()):
        p.add(path, "search needs text")
    if "limit" in spec and not (isinstance(spec["limit"], int) and 1 <= spec["limit"] <= 5):
        p.add(path, "limit must be 1 to 5")


def validate(data, marks, questionnaire: Questionnaire | None) -> Problems:
    p = Problems(marks)
    if not isinstance(data, dict):
        p.add((), "the file must be a mapping with kind, version, questionnaire, services and rules")
        return p
    for key in data:
        if key not in {
            "kind",
            "version",
            "questionnaire",
            "reporting_deadlines",
            "urgency",
            "services",
            "rules",
        }:
            p.add((key,), f"unknown key {key!r}")
    if data.get("kind") != "recommendation-rules":
        p.add(("kind",), "kind must be 'recommendation-rules'")
    if not isinstance(data.get("version"), str) or not _VERSION.match(data.get("version") or ""):
        p.add(("version",), 'version must be a quoted string like "2025.1"')
    if questionnaire is not None and data.get("questionnaire") != questionnaire.qid:
        p.add(("questionnaire",), f"must name the questionnaire {questionnaire.qid!r}")
    for i, d in enumerate(data.get("reporting_deadlines") or []):
        if not isinstance(d, date):
            p.add(("reporting_deadlines", i), "a deadline is a date like 2025-12-31")
    urgency = data.get("urgency") or {}
    if (
        not isinstance(urgency, dict)
        or not isinstance(urgency.get("window_days", 365), int)
        or not isinstance(urgency.get("factor", 1.5), int | float)
        or urgency.get("factor", 1.5) < 1
    ):
        p.add(("urgency",), "urgency needs window_days (whole days) and factor (1 or more)")
    services = {}
    for i, s in enumerate(data.get("services") or []):
        if not isinstance(s, dict) or not isinstance(s.get("id"), str) or not _ID.match(s["id"]):
            p.add(("services", i), "a service needs an id, a title and a description")
            continue
        if s["id"] in services:
            p.add(("services", i, "id"), f"service {s['id']!r} is defined twice")
        services[s["id"]] = s
        _texts_ok(p, ("services", i, "title"), s.get("title"))
        _texts_ok(p, ("services", i, "description"), s.get("description"))
    rules = data.get("rules")
    if not isinstance(rules, list) or not rules:
        p.add(("rules",), "rules must be a non-empty list")
        rules = []
    seen = set()
    dims = {d.id for d in questionnaire.dimensions} if questionnaire else None
    items = set(questionnaire.items) if questionnaire else None
    for i, r in enumerate(rules):
        path = ("rules", i)
        if not isinstance(r, dict):
            p.add(path, "a rule must be a mapping")
            continue
        for key in r:
            if key not in {"id", "dimension", "when", "urgent", "reason", "recommend"}:
                p.add((*path, key), f"unknown key {key!r}")
        if not isinstance(r.get("id"), str) or not _ID.match(r["id"]) or r["id"] in seen:
            p.add((*path, "id"), "a rule needs a unique id")
        seen.add(r.get("id"))
        if dims is not None and r.get("dimension") not in dims:
            p.add((*path, "dimension"), f"unknown dimension {r.get('dimension')!r}")
        try:
            tree = expr.parse(r.get("when") if isinstance(r.get("when"), str) else "")
        except ExprError as exc:
            p.add((*path, "when"), f"invalid condition: {exc}")
        else:
            for kind, name in expr.references(tree):
                if kind == "item" and items is not None and name not in items:
                    p.add((*path, "when"), f"unknown item {name!r}")
                if kind == "dimension" and dims is not None and name not in dims:
                    p.add((*path, "when"), f"unknown dimension {name!r}")
        if "urgent" in r and not isinstance(r["urgent"], bool):
            p.add((*path, "urgent"), "must be true or false")
        _texts_ok(p, (*path, "reason"), r.get("reason"), required=False)
        recs = r.get("recommend")
        if not isinstance(recs, list) or not recs:
            p.add((*path, "recommend"), "a rule must recommend at least one resource or service")
            continue
        for j, entry in enumerate(recs):
            _check_recommend(p, (*path, "recommend", j), entry, services)
    return p


def parse_text(text: str, questionnaire: Questionnaire | None, filename: str = "") -> RuleSet:
    """Validate and build a rule set (checked against ``questionnaire`` when given)."""
    data, marks = load_marked(text, filename)
    validate(data, marks, questionnaire).raise_if_any(filename)
    urgency = data.get("urgency") or {}
    return RuleSet(
        version=data["version"],
        questionnaire=data["questionnaire"],
        rules=tuple(
            Rule(
                id=r["id"],
                dimension=r["dimension"],
                when=r["when"],
                tree=expr.parse(r["when"]),
                recommend=tuple(r["recommend"]),
                urgent=bool(r.get("urgent", False)),
                reason=dict(r.get("reason") or {}),
            )
            for r in data["rules"]
        ),
        services={
            s["id"]: Service(
                s["id"], dict(s["title"]), dict(s["description"]), tuple(s.get("articles") or ())
            )
            for s in data.get("services") or []
        },
        deadlines=tuple(sorted(data.get("reporting_deadlines") or [])),
        window_days=int(urgency.get("window_days", 365)),
        urgency_factor=float(urgency.get("factor", 1.5)),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def load_file(path: str | Path, questionnaire: Questionnaire | None) -> RuleSet:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YAMLFileError([Problem(None, "", f"cannot read the file: {exc}")], str(path)) from exc
    return parse_text(text, questionnaire, path.name)


def shipped_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("recommendations-*.yaml"))


# --- recommending -------------------------------------------------------------------------------


@dataclass
class Fired:
    rule: Rule
    facts: list


def fire(ruleset: RuleSet, q: Questionnaire, answers: Mapping, profile: Profile) -> list[Fired]:
    """The rules whose condition holds, with the facts that made it hold."""
    ctx = RuleContext(q, answers, profile)
    out = []
    for rule in ruleset.rules:
        ok, facts = expr.truthy(rule.tree, ctx)
        if ok:
            out.append(Fired(rule, facts))
    return out


Resolver = Callable[[dict], list[dict]]
"""Turns one ``recommend`` entry into resource dicts ``{"type", "kind", "key", ...}`` (the caller's
registry lookup). Services resolve to ``{"type": "service", "id": ...}``."""


def recommend(
    ruleset: RuleSet, q: Questionnaire, answers: Mapping, profile: Profile, resolver: Resolver, today: date
) -> list[dict]:
    """Fire the rules, resolve their targets, prioritise, merge duplicates and cap the list.

    Each recommendation: the resolved target's fields plus ``priority`` (float), ``dimension``,
    ``rules`` (ids) and ``reasons`` (list of ``{"rule", "facts", "text"}``)."""
    urgency_now = ruleset.urgency(today)
    dims = {d.id: d for d in q.dimensions}
    merged: dict[tuple, dict] = {}
    order = 0
    for fired in fire(ruleset, q, answers, profile):
        rule = fired.rule
        dim_score = profile.dimensions[rule.dimension].score
        gap = 1.0 - dim_score if dim_score is not None else 1.0
        priority = round(gap * dims[rule.dimension].weight * (urgency_now if rule.urgent else 1.0), 6)
        reason = {"rule": rule.id, "facts": [f.as_dict() for f in fired.facts], "text": rule.reason}
        for entry in rule.recommend:
            for target in resolver(entry):
                key = (target["type"], target.get("kind"), target.get("key") or target.get("id"))
                rec = merged.get(key)
                if rec is None:
                    order += 1
                    rec = merged[key] = {
                        **target,
                        "priority": priority,
                        "dimension": rule.dimension,
                        "rules": [rule.id],
                        "reasons": [reason],
                        "_order": order,
                        "is_urgent": rule.urgent and urgency_now > 1,
                    }
                    continue
                if rule.id not in rec["rules"]:
                    rec["rules"].append(rule.id)
                    rec["reasons"].append(reason)
                if priority > rec["priority"]:
                    rec["priority"], rec["dimension"] = priority, rule.dimension
                rec["is_urgent"] = rec["is_urgent"] or (rule.urgent and urgency_now > 1)
    ranked = sorted(merged.values(), key=lambda r: (-r["priority"], r["_order"]))
    per_dim: dict[str, int] = {}
    out = []
    for rec in ranked:
        if per_dim.get(rec["dimension"], 0) >= MAX_PER_DIMENSION:
            continue
        per_dim[rec["dimension"]] = per_dim.get(rec["dimension"], 0) + 1
        rec.pop("_order")
        out.append(rec)
        if len(out) >= MAX_TOTAL:
            break
    return out
