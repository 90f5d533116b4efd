"""Merging a folded :class:`analytics.fold.Batch` into the rollup tables.

Runs only under the rollup lock (one writer), so read-modify-write is safe and the same code works on
SQLite and PostgreSQL without dialect-specific upserts. Uses bulk INSERT and bulk UPDATE by primary
key; flushes nothing else and never commits.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import insert, select, tuple_, update

from analytics import fold as f
from analytics.models import (
    ActiveActor,
    ChildReach,
    DirtyScope,
    ItemResponse,
    ItemStat,
    LearnerProgress,
    MonthlyCount,
    ReadinessResult,
    VideoMinute,
    VideoSession,
    VideoStat,
    VideoViewer,
)
from lms.db import db, utcnow

CHUNK = 400

MONTHLY_KEY = ("month", "kind", "key", "verb", "language", "country_code")
LEARNER_FIELDS = (
    "user_id",
    "language",
    "country_code",
    "region",
    "first_dt",
    "last_dt",
    "registered_dt",
    "started_dt",
    "completed_dt",
    "passed_dt",
    "n_passed",
    "n_failed",
    "best_score",
    "last_child",
    "last_child_dt",
    "attended_dt",
    "pre_score",
    "post_score",
)


def _load(model, key_cols, keys, extra_cols=()) -> dict:
    """Existing rows of ``model`` for ``keys`` (tuples of ``key_cols``), as ``{key: mapping}``."""
    out = {}
    keys = list(keys)
    cols = [getattr(model, c) for c in key_cols]
    selected = [model.id, *cols, *(getattr(model, c) for c in extra_cols)]
    for i in range(0, len(keys), CHUNK):
        stmt = select(*selected).where(tuple_(*cols).in_(keys[i : i + CHUNK]))
        for row in db.session.execute(stmt):
            m = row._mapping
            out[tuple(m[c] for c in key_cols)] = m
    return out


def _write(model, updates: list[dict], inserts: list[dict]) -> None:
    if updates:
        db.session.execute(update(model), updates)
    if inserts:
        db.session.execute(insert(model), inserts)


def _insert_missing(model, key_cols, rows: dict, value_cols) -> int:
    """Insert the keys of ``rows`` ({key: values tuple}) that are not in the table yet (a set)."""
    if not rows:
        return 0
    existing = _load(model, key_cols, rows.keys())
    new = [
        {**dict(zip(key_cols, k, strict=True)), **dict(zip(value_cols, v, strict=True))}
        for k, v in rows.items()
        if k not in existing
    ]
    _write(model, [], new)
    return len(new)


def apply_batch(batch: f.Batch) -> None:
    _apply_monthly(batch)
    _insert_missing(
        ActiveActor,
        ("actor_key", "month", "kind", "key", "language"),
        batch.active,
        ("country_code", "region"),
    )
    _apply_learners(batch)
    _insert_missing(
        ChildReach,
        ("kind", "key", "child", "actor_key"),
        {k: (v,) for k, v in batch.children.items()},
        ("language",),
    )
    _apply_responses(batch)
    _apply_item_meta(batch)
    _apply_video(batch)
    _apply_readiness(batch)
    _insert_missing(DirtyScope, ("scope", "kind", "key"), {k: () for k in batch.dirty}, ())


def _apply_monthly(batch: f.Batch) -> None:
    cols = ("n", "n_success", "n_failure", "n_completion", "n_scored", "sum_score", "sum_duration")
    existing = _load(MonthlyCount, MONTHLY_KEY, batch.monthly.keys(), cols)
    updates, inserts = [], []
    for k, c in batch.monthly.items():
        old = existing.get(k)
        if old is None:
            inserts.append(
                {
                    **dict(zip(MONTHLY_KEY, k, strict=True)),
                    "region": batch.monthly_region.get(k, ""),
                    **dict(zip(cols, c, strict=True)),
                }
            )
        else:
            updates.append({"id": old["id"], **{col: old[col] + c[i] for i, col in enumerate(cols)}})
    _write(MonthlyCount, updates, inserts)


def _apply_learners(batch: f.Batch) -> None:
    key_cols = ("actor_key", "kind", "key")
    existing = _load(LearnerProgress, key_cols, batch.learners.keys(), LEARNER_FIELDS)
    updates, inserts = [], []
    for k, obs in batch.learners.items():
        old = existing.get(k)
        if old is None:
            row = {c: obs.get(c) for c in LEARNER_FIELDS}
            row["n_passed"], row["n_failed"] = obs.get("n_passed") or 0, obs.get("n_failed") or 0
            inserts.append({**dict(zip(key_cols, k, strict=True)), **row})
        else:
            merged = f.merge_learner({c: old[c] for c in LEARNER_FIELDS}, obs)
            updates.append({"id": old["id"], **{c: merged.get(c) for c in LEARNER_FIELDS}})
    _write(LearnerProgress, updates, inserts)


def _apply_responses(batch: f.Batch) -> None:
    key_cols = ("kind", "key", "item", "actor_key")
    existing = _load(ItemResponse, key_cols, batch.responses.keys(), ("answered_dt",))
    updates, inserts = [], []
    for k, (lang, correct, response, ts) in batch.responses.items():
        old = existing.get(k)
        values = {"language": lang, "is_correct": correct, "response": response, "answered_dt": ts}
        if old is None:
            inserts.append({**dict(zip(key_cols, k, strict=True)), **values})
        elif ts < old["answered_dt"]:  # an earlier first attempt arrived late
            updates.append({"id": old["id"], **values})
    _write(ItemResponse, updates, inserts)


def _apply_item_meta(batch: f.Batch) -> None:
    key_cols = ("kind", "key", "item")
    existing = _load(
        ItemStat, key_cols, batch.item_meta.keys(), ("names", "choices", "interaction_type", "correct")
    )
    updates, inserts = [], []
    for k, meta in batch.item_meta.items():
        old = existing.get(k)
        merged = {"names": {}, "choices": {}, "type": "", "correct": []}
        if old is not None:
            merged["names"] = dict(old["names"] or {})
            merged["choices"] = {c["id"]: dict(c.get("description") or {}) for c in (old["choices"] or [])}
            merged["type"], merged["correct"] = old["interaction_type"], list(old["correct"] or [])
        merged["names"].update(meta["names"])
        for cid, desc in meta["choices"].items():
            merged["choices"].setdefault(cid, {}).update(desc)
        merged["type"] = meta["type"] or merged["type"]
        merged["correct"] = meta["correct"] or merged["correct"]
        values = {
            "names": merged["names"],
            "interaction_type": merged["type"],
            "correct": merged["correct"],
            "choices": [{"id": cid, "description": d} for cid, d in merged["choices"].items()],
        }
        if old is None:
            inserts.append(
                {
                    **dict(zip(key_cols, k, strict=True)),
                    **values,
                    "n": 0,
                    "n_correct": 0,
                    "distractors": {},
                    "by_language": {},
                    "is_flagged": False,
                    "updated_dt": utcnow(),
                }
            )
        else:
            updates.append({"id": old["id"], **values})
    _write(ItemStat, updates, inserts)


def _apply_video(batch: f.Batch) -> None:
    existing = _load(VideoStat, ("kind", "key", "language"), batch.video_length.keys(), ("length_s",))
    updates, inserts = [], []
    for k, length in batch.video_length.items():
        old = existing.get(k)
        if old is None:
            inserts.append({"kind": k[0], "key": k[1], "language": k[2], "length_s": length})
        elif (old["length_s"] or 0) < length:
            updates.append({"id": old["id"], "length_s": length})
    _write(VideoStat, updates, inserts)

    key_cols = ("kind", "key", "actor_key", "language")
    viewers = _load(VideoViewer, key_cols, batch.video_minutes.keys(), ("minutes",))
    increments: dict = defaultdict(int)
    updates, inserts = [], []
    for k, minutes in batch.video_minutes.items():
        old = viewers.get(k)
        before = set(old["minutes"] or []) if old is not None else set()
        added = minutes - before
        if not added:
            continue
        for m in added:
            increments[(k[0], k[1], k[3], m)] += 1
        if old is None:
            inserts.append({**dict(zip(key_cols, k, strict=True)), "minutes": sorted(added)})
        else:
            updates.append({"id": old["id"], "minutes": sorted(before | added)})
    _write(VideoViewer, updates, inserts)

    minute_cols = ("kind", "key", "language", "minute")
    rows = _load(VideoMinute, minute_cols, increments.keys(), ("viewers",))
    updates = [
        {"id": rows[k]["id"], "viewers": rows[k]["viewers"] + n} for k, n in increments.items() if k in rows
    ]
    inserts = [
        {**dict(zip(minute_cols, k, strict=True)), "viewers": n}
        for k, n in increments.items()
        if k not in rows
    ]
    _write(VideoMinute, updates, inserts)

    _insert_missing(
        VideoSession, ("kind", "key", "session_ref"), batch.sessions, ("actor_key", "language", "day")
    )


def _apply_readiness(batch: f.Batch) -> None:
    key_cols = ("country_code", "questionnaire")
    existing = _load(ReadinessResult, key_cols, batch.readiness.keys(), ("submitted_dt", "n_submissions"))
    updates, inserts = [], []
    for k, (levels, score, ts, region, n) in batch.readiness.items():
        old = existing.get(k)
        latest = {"levels": levels, "score": score, "submitted_dt": ts, "region": region}
        if old is None:
            inserts.append({**dict(zip(key_cols, k, strict=True)), **latest, "n_submissions": n})
        elif ts >= old["submitted_dt"]:
            updates.append({"id": old["id"], **latest, "n_submissions": old["n_submissions"] + n})
        else:
            updates.append({"id": old["id"], "n_submissions": old["n_submissions"] + n})
    _write(ReadinessResult, updates, inserts)
