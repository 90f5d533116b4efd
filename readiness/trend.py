"""The trend: this cycle's result against the same country's previous submitted cycle, item by item.

When both cycles used the same questionnaire version, every dimension is compared as scored. When the
questionnaire changed, the new version's ``previous`` mapping says how its items relate to the old ones::

    previous:
      version: "2025.1"
      dimensions: {reporting: reporting}        # new dimension -> old dimension (default: same id)
      items:
        "2.1": "2.1"             # kept (the default for an id both versions have)
        "2.7": "2.3"             # renamed: new id, same question
        "2.4": "2.4"             # split: two new items name the same old one ...
        "2.8": "2.4"
        "2.2": ["2.2", "2.6"]    # merged: one new item replaces several old ones
        "2.9": null              # new: nothing to compare with
                                 # removed: an old item no new item names (and not kept by id)

so that a re-assessment compares like with like: per dimension, **both** scores are recomputed over the
items that exist in both versions (the new dimension's mapped items now, the old items they map to then,
each weighted as in its own version; answered and skipped items count, as in scoring, and a side with no
answered item has no score, so no change is shown for it). New and removed
items are listed, not compared. Without the mapping (an older version two steps back, or a version whose
stored copy is gone) items are matched by their stable ids.
"""

from __future__ import annotations

from sqlalchemy import select

from lms.db import db
from readiness import catalog
from readiness.base import questionnaire_for
from readiness.models import Assessment, Result
from readiness.questionnaire import Questionnaire
from readiness.scoring import SCORED


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The same country's latest submitted assessment of an earlier cycle."""
    return db.session.scalar(
        select(Assessment)
        .where(
            Assessment.country_code == assessment.country_code,
            Assessment.cycle < assessment.cycle,
            Assessment.state.in_(("submitted", "acknowledged")),
        )
        .order_by(Assessment.cycle.desc())
        .limit(1)
    )


def _latest_result(assessment: Assessment) -> Result | None:
    return db.session.scalar(
        select(Result).filter_by(assessment_id=assessment.id).order_by(Result.id.desc()).limit(1)
    )


def item_mapping(q: Questionnaire, old_q: Questionnaire | None, old_version: str) -> dict[str, list[str]]:
    """New item id -> the old item ids it compares with (empty: a new item)."""
    old_ids = set(old_q.items) if old_q is not None else None
    declared = (q.previous or {}).get("items", {}) if (q.previous or {}).get("version") == old_version else {}
    out = {}
    for item_id in q.items:
        target = declared.get(item_id, item_id)
        olds = [] if target is None else [target] if isinstance(target, str) else list(target)
        out[item_id] = [o for o in olds if old_ids is None or o in old_ids]
    return out


def changes(mapping: dict[str, list[str]], old_q: Questionnaire | None) -> dict:
    """The kinds of change between the versions, each a sorted list."""
    targets: dict[str, list[str]] = {}
    for new_id, olds in mapping.items():
        for old_id in olds:
            targets.setdefault(old_id, []).append(new_id)
    removed = sorted(set(old_q.items) - set(targets)) if old_q is not None else []
    return {
        "new_items": [i for i, olds in mapping.items() if not olds],
        "removed_items": removed,
        "renamed_items": [
            [i, olds[0]]
            for i, olds in mapping.items()
            if len(olds) == 1 and olds[0] != i and len(targets[olds[0]]) == 1
        ],
        "split_items": [[old, sorted(news)] for old, news in sorted(targets.items()) if len(news) > 1],
        "merged_items": [[i, olds] for i, olds in mapping.items() if len(olds) > 1],
    }


def _weighted(items: list[tuple[float, dict | None]]) -> float | None:
    scored = [
        (w, s["score"]) for w, s in items if s and s.get("status") in SCORED and s.get("score") is not None
    ]
    total = sum(w for w, _s in scored)
    if not any(s and s.get("status") == "answered" for _w, s in items) or total <= 0:
        return None
    return round(sum(w * s for w, s in scored) / total, 6)


def trend(assessment: Assessment, profile: dict) -> dict | None:
    """Per dimension: this cycle against the previous one (see the module docstring); ``None`` without
    an earlier submission. Each dimension: ``level``/``score`` (this cycle, as scored), ``previous_level``
    (of the mapped old dimension), ``previous_score`` and ``comparable_score`` (then and now over the
    shared items), ``delta`` (their difference), ``compared_items`` (how many new items were compared)."""
    prev = previous_assessment(assessment)
    prev_result = _latest_result(prev) if prev is not None else None
    if prev_result is None:
        return None
    q = questionnaire_for(assessment)
    old_version = prev_result.questionnaire_version
    old_row = catalog.find_questionnaire_row(old_version)
    old_q = catalog.questionnaire_of(old_row) if old_row is not None else None
    if old_version == q.version:
        old_q = q
    same = old_version == q.version
    declared = q.previous or {}
    dim_map = declared.get("dimensions", {}) if declared.get("version") == old_version else {}
    mapping = item_mapping(q, old_q, old_version)
    old_items = prev_result.profile.get("items")
    new_items = profile.get("items")
    old_dims = prev_result.profile.get("dimensions", {})
    rows = {}
    for dim in q.dimensions:
        old = old_dims.get(dim_map.get(dim.id, dim.id))
        now = profile["dimensions"][dim.id]
        if old_items is not None and new_items is not None and old_q is not None:
            kept = [it for it in dim.items if mapping[it.id]]
            olds = sorted({o for it in kept for o in mapping[it.id]})
            comparable = _weighted([(it.weight, new_items.get(it.id)) for it in kept])
            previous = _weighted([(old_q.items[o].weight, old_items.get(o)) for o in olds])
            compared = len(kept)
        else:  # an old result without item scores: whole dimensions
            comparable, previous = now.get("score"), (old or {}).get("score")
            compared = None
        delta = None
        if comparable is not None and previous is not None:
            delta = round(comparable - previous, 4)
        rows[dim.id] = {
            "previous_level": old.get("level") if old else None,
            "previous_score": previous,
            "level": now.get("level"),
            "score": now.get("score"),
            "comparable_score": comparable,
            "delta": delta,
            "compared_items": compared,
        }
    diff = changes(mapping, old_q) if not same else changes({i: [i] for i in q.items}, None)
    return {
        "cycle": prev.cycle,
        "questionnaire_version": old_version,
        "is_same_version": same,
        "dimensions": rows,
        **diff,
        "item_texts": {"old": _texts(old_q, diff["removed_items"]), "new": _texts(q, diff["new_items"])},
    }


def _texts(q: Questionnaire | None, ids: list[str]) -> dict[str, dict]:
    if q is None:
        return {}
    return {i: dict(q.items[i].text) for i in ids if i in q.items}
