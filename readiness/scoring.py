"""Scoring of a readiness assessment. Pure Python: no Flask, no database.

Rules (``SCORING_VERSION`` changes whenever one of them does):

- An item's answer scores 0-1: a rubric level / 4; yes 1, partly 0.5, no 0; a checklist the share of
  options ticked; a number item its band's score. "Not applicable" removes the item; "don't know" and
  no answer leave it applicable but unanswered.
- Skip logic: an item whose ``show_if`` is false is hidden, and a hidden item is not a question to
  answer: it is neither answered nor applicable in any count. When an answer to a question it refers to
  has ruled it out ("skipped"), it still weighs in the score as 0 (it asks about something that earlier
  answer has ruled out); skip conditions are monotone (checked when the questionnaire is validated), so a
  better earlier answer can only reveal questions, and never lowers a score. When none of the questions it
  refers to is answered yet ("hidden": unanswered, "don't know", not applicable or hidden themselves), it
  does not weigh in the score either.
- A dimension's score is the weighted mean of its answered (and skipped) items; a dimension with no
  answered item has no score. It gets no level when fewer than 70 % of its applicable (shown, not "not
  applicable") items are answered.
- Levels 1-5 (Initial, Developing, Defined, Managed, Optimising) at 0.2 steps of the score.
- A gate item answered below 0.5, "don't know", unanswered or hidden by skip logic caps its dimension at
  level 2.
- The overall profile is the levels per dimension and their distribution: no single headline rank.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from readiness import expr
from readiness.questionnaire import DONT_KNOW, NOT_APPLICABLE, Questionnaire

SCORING_VERSION = "1.1"
MIN_COVERAGE = 0.7
GATE_THRESHOLD = 0.5
GATE_CAP = 2
SCORED = ("answered", "skipped")  # the item states that weigh in a score
LEVEL_KEYS = {1: "initial", 2: "developing", 3: "defined", 4: "managed", 5: "optimising"}


def covers_enough(answered: int, applicable: int) -> bool:
    """Whether enough of a dimension's applicable questions are answered for it to get a level."""
    return applicable > 0 and answered / applicable + 1e-9 >= MIN_COVERAGE


def min_coverage_percent() -> int:
    """``MIN_COVERAGE`` as a whole percentage, for the pages that explain the rule."""
    return round(MIN_COVERAGE * 100)


def level_for(score: float) -> int:
    """Level 1-5 for a score in [0, 1]: 1 below 0.2, 2 below 0.4 ... 5 from 0.8."""
    if not 0 <= score <= 1:
        raise ValueError(f"score {score!r} is outside 0-1")
    return min(5, 1 + math.floor(score * 5 + 1e-9))


@dataclass(frozen=True)
class ItemState:
    item_id: str
    status: str  # answered | skipped | hidden | na | dk | missing
    score: float | None  # 0-1 when answered or skipped

    @property
    def is_shown(self) -> bool:
        return self.status not in ("skipped", "hidden")


@dataclass
class DimensionScore:
    dimension_id: str
    score: float | None
    level: int | None
    answered: int
    applicable: int
    responded: int  # answered + don't know (for completeness)
    # ``answered``, ``applicable`` and ``responded`` count shown questions only (see the module docstring)
    coverage: float
    is_capped: bool = False
    capped_by: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


class AnswerContext:
    """Answers the expression functions about items (skip logic and rules)."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        answers: Mapping[str, object],
        visible: Mapping[str, bool] | None = None,
    ):
        self.q = questionnaire
        self.items = questionnaire.items
        self.answers = answers
        self.visible = visible if visible is not None else {}

    def _value(self, item_id: str):
        if item_id not in self.items or self.visible.get(item_id) is False:
            return None
        value = self.answers.get(item_id)
        return value if value is None or self.items[item_id].valid(value) else None

    def call(self, name: str, args: tuple):
        item_id = args[0]
        value = self._value(item_id)
        if name == "answer":
            return list(value) if isinstance(value, list | tuple) else value
        if name == "answered":
            return value is not None and value not in (NOT_APPLICABLE, DONT_KNOW)
        if name == "item_score":
            return None if value is None else self.items[item_id].score(value)
        if name == "checked":
            return isinstance(value, list | tuple) and args[1] in value
        raise expr.ExprError(f"{name}() is not available here")


def visibility(q: Questionnaire, answers: Mapping[str, object]) -> dict[str, bool]:
    """Which items are shown (skip logic), evaluated in questionnaire order."""
    visible: dict[str, bool] = {}
    ctx = AnswerContext(q, answers, visible)
    for dim in q.dimensions:
        for item in dim.items:
            if item.show_if:
                shown, _facts = expr.truthy(expr.parse(item.show_if), ctx)
                visible[item.id] = shown
            else:
                visible[item.id] = True
    return visible


def _referred_items(show_if: str) -> set[str]:
    return {name for kind, name in expr.references(expr.parse(show_if)) if kind == "item"}


def item_states(q: Questionnaire, answers: Mapping[str, object]) -> dict[str, ItemState]:
    visible = visibility(q, answers)
    out: dict[str, ItemState] = {}
    for item in (it for dim in q.dimensions for it in dim.items):
        item_id = item.id
        value = answers.get(item_id)
        if not visible[item_id]:
            refs = _referred_items(item.show_if)
            if any(out[r].status in SCORED for r in refs if r in out):
                out[item_id] = ItemState(item_id, "skipped", 0.0)
            else:
                out[item_id] = ItemState(item_id, "hidden", None)
        elif value == NOT_APPLICABLE and item.allow_na:
            out[item_id] = ItemState(item_id, "na", None)
        elif value == DONT_KNOW and item.allow_dk:
            out[item_id] = ItemState(item_id, "dk", None)
        elif value is not None and item.score(value) is not None:
            out[item_id] = ItemState(item_id, "answered", item.score(value))
        else:
            out[item_id] = ItemState(item_id, "missing", None)
    return out


def score_dimension(q: Questionnaire, dim_id: str, states: Mapping[str, ItemState]) -> DimensionScore:
    dim = q.dimension(dim_id)
    if dim is None:
        raise KeyError(dim_id)
    applicable = [it for it in dim.items if states[it.id].status in ("answered", "dk", "missing")]
    answered = [it for it in applicable if states[it.id].status == "answered"]
    responded = [it for it in applicable if states[it.id].status in ("answered", "dk")]
    scored = [it for it in dim.items if states[it.id].status in SCORED]
    coverage = len(answered) / len(applicable) if applicable else 0.0
    score = None
    if answered:
        total_weight = sum(it.weight for it in scored)
        score = sum(it.weight * states[it.id].score for it in scored) / total_weight
        score = min(1.0, max(0.0, round(score, 6)))
    level = None
    if score is not None and covers_enough(len(answered), len(applicable)):
        level = level_for(score)
    # A key question caps its dimension unless it does not apply: hidden (not asked yet), unanswered or
    # "don't know" as well as answered or skipped below the threshold.
    capped_by = [
        it.id
        for it in dim.items
        if it.is_gate
        and states[it.id].status != "na"
        and (
            states[it.id].status in ("dk", "missing", "hidden")
            or (states[it.id].score is not None and states[it.id].score < GATE_THRESHOLD)
        )
    ]
    is_capped = False
    if level is not None and capped_by and level > GATE_CAP:
        level, is_capped = GATE_CAP, True
    return DimensionScore(
        dimension_id=dim_id,
        score=score,
        level=level,
        answered=len(answered),
        applicable=len(applicable),
        responded=len(responded),
        coverage=round(coverage, 6),
        is_capped=is_capped,
        capped_by=capped_by,
    )


@dataclass
class Profile:
    """The scored assessment: per dimension, plus the distribution of levels (no headline rank)."""

    dimensions: dict[str, DimensionScore]
    states: dict[str, ItemState]
    scoring_version: str = SCORING_VERSION

    @property
    def levels(self) -> dict[str, int | None]:
        return {k: d.level for k, d in self.dimensions.items()}

    def distribution(self) -> dict[str, int]:
        out = {str(n): 0 for n in range(1, 6)}
        out["none"] = 0
        for d in self.dimensions.values():
            out[str(d.level) if d.level else "none"] += 1
        return out

    def strengths(self) -> list[str]:
        """Dimensions at level 4-5; failing those, the best-scoring ones at level 3."""
        strong = [k for k, d in self.dimensions.items() if d.level and d.level >= 4]
        if strong:
            return sorted(strong, key=lambda k: -(self.dimensions[k].score or 0))
        best = max((d.score for d in self.dimensions.values() if d.level == 3), default=None)
        return [k for k, d in self.dimensions.items() if d.level == 3 and d.score == best]

    def gaps(self) -> list[str]:
        """Dimensions at level 1-2, weakest first."""
        weak = [k for k, d in self.dimensions.items() if d.level is not None and d.level <= 2]
        return sorted(weak, key=lambda k: self.dimensions[k].score or 0)

    def to_dict(self) -> dict:
        return {
            "scoring_version": self.scoring_version,
            "dimensions": {k: d.as_dict() for k, d in self.dimensions.items()},
            "distribution": self.distribution(),
            "strengths": self.strengths(),
            "gaps": self.gaps(),
            "items": {k: {"status": s.status, "score": s.score} for k, s in self.states.items()},
        }


def score_assessment(q: Questionnaire, answers: Mapping[str, object]) -> Profile:
    """Score every dimension of ``q`` for ``answers`` (item id -> answer value)."""
    states = item_states(q, answers)
    return Profile({d.id: score_dimension(q, d.id, states) for d in q.dimensions}, states)


class SectionProgress(NamedTuple):
    """How far a section is answered: the same counts as its scored dimension's."""

    answered: int  # the answers that count towards a level ("don't know" excluded)
    dont_know: int
    applicable: int

    @property
    def responded(self) -> int:
        return self.answered + self.dont_know

    @property
    def is_complete(self) -> bool:
        """Nothing left to answer: every shown question has an answer or a "don't know"."""
        return self.responded >= self.applicable

    @property
    def can_get_level(self) -> bool:
        """Enough answered ("don't know" excluded) for the section's dimension to get a level."""
        return covers_enough(self.answered, self.applicable)


def completeness(q: Questionnaire, answers: Mapping[str, object]) -> dict[str, SectionProgress]:
    """Per dimension, its shown questions that apply: answered, "don't know" and in all. "Answered"
    excludes "don't know" everywhere (overview, all answers, result), as the 70 % rule for a level does."""
    states = item_states(q, answers)
    out = {}
    for dim in q.dimensions:
        d = score_dimension(q, dim.id, states)
        out[dim.id] = SectionProgress(d.answered, d.responded - d.answered, d.applicable)
    return out


def skip_logic_problems(q: Questionnaire, max_cases: int = 20000) -> list[tuple[str, str]]:
    """Check that every ``show_if`` is monotone: improving an earlier answer never hides a question
    (otherwise a better answer could lower a score). Returns ``(item_id, message)`` pairs."""
    from itertools import combinations, product

    problems = []
    items = q.items
    for item in items.values():
        if not item.show_if:
            continue
        tree = expr.parse(item.show_if)
        refs = sorted({name for kind, name in expr.references(tree) if kind == "item"})
        domains = []
        for ref in refs:
            it = items[ref]
            if it.type == "checklist":
                opts = [o.id for o in it.options]
                domains.append([list(c) for n in range(len(opts) + 1) for c in combinations(opts, n)])
            else:
                domains.append(list(it.choices()))
        total = math.prod(len(d) for d in domains)
        if total > max_cases:
            problems.append((item.id, "show_if refers to too many answers to check; simplify it"))
            continue

        def shown(values, _tree=tree, _refs=refs):
            ctx = AnswerContext(q, dict(zip(_refs, values, strict=True)))
            return expr.truthy(_tree, ctx)[0]

        bad = None
        for combo in product(*domains):
            if not shown(combo):
                continue
            for pos, ref in enumerate(refs):
                it = items[ref]
                for better in _improvements(it, combo[pos]):
                    trial = list(combo)
                    trial[pos] = better
                    if not shown(trial):
                        bad = (ref, combo[pos], better)
                        break
                if bad:
                    break
            if bad:
                break
        if bad:
            problems.append(
                (
                    item.id,
                    f"show_if hides this question when the answer to {bad[0]} improves "
                    f"from {bad[1]!r} to {bad[2]!r}; skip logic must only reveal questions "
                    "as answers get better",
                )
            )
    return problems


def _improvements(item, value) -> list:
    if item.type == "checklist":
        return [sorted([*value, o.id]) for o in item.options if o.id not in value]
    order = item.choices()
    pos = order.index(value)
    return order[pos + 1 :]
