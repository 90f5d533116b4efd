"""Merging a folded :class:`analytics.fold.Batch` into the rollup tables.

- Counters and sets are written with one ``INSERT ... ON CONFLICT`` per table (increment, or do
  nothing), which SQLite (3.24+) and PostgreSQL both support, so nothing has to be read first.
- Tables whose rows merge by rule (a learner's first and last dates, an item's first answer, the
  minutes a viewer watched, a country's latest assessment) are read for the keys of the batch,
  merged in Python and written back in bulk. The rollup lock makes this job the only writer.

Flushes nothing else and never commits.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import bindparam, case, select

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

CHUNK = 900  # bound parameters per IN list (SQLite's historical limit is 999)

MONTHLY_KEY = ("month", "kind", "key", "verb", "language", "country_code")
MONTHLY_COUNTS = ("n", "n_success", "n_failure", "n_completion", "n_scored", "sum_score", "sum_duration")
LEARNER_FIELDS = (
    "user_id", "language", "country_code", "region", "first_dt", "last_dt", "registered_dt", "started_dt",
    "completed_dt", "passed_dt", "n_passed", "n_failed", "best_score", "last_child", "last_child_dt",
    "attended_dt", "pre_score", "post_score",
)  # fmt: skip


def _insert_stmt(model):
    """The dialect's INSERT construct (with ``on_conflict_*``)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model.__table__)


def _upsert(model, conflict: tuple[str, ...], rows: list[dict], set_=None) -> None:
    """``INSERT ... ON CONFLICT (conflict) DO UPDATE SET set_(excluded, table)`` (or DO NOTHING)."""
    if not rows:
        return
    stmt = _insert_stmt(model)
    if set_ is None:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(conflict))
    else:
        stmt = stmt.on_conflict_do_update(
            index_elements=list(conflict), set_=set_(stmt.excluded, model.__table__)
        )
    for i in range(0, len(rows), 2000):
        db.session.execute(stmt, rows[i : i + 2000])


def _load_by(model, column: str, values, cols: tuple[str, ...], key_cols: tuple[str, ...]) -> dict:
    """Rows of ``model`` whose ``column`` is in ``values``, as ``{key tuple: mapping}``."""
    values = sorted(set(values))
    table = model.__table__
    out = {}
    for i in range(0, len(values), CHUNK):
        stmt = select(table.c.id, *[table.c[c] for c in cols]).where(
            table.c[column].in_(values[i : i + CHUNK])
        )
        for row in db.session.execute(stmt):
            m = row._mapping
            out[tuple(m[c] for c in key_cols)] = m
    return out


def _write(model, updates: list[dict], inserts: list[dict]) -> None:
    """Bulk UPDATE by primary key (rows carry ``b_id``) and bulk INSERT, through the Core."""
    table = model.__table__
    if updates:
        by_keys: dict = defaultdict(list)
        for row in updates:
            by_keys[tuple(sorted(row))].append(row)
        for rows in by_keys.values():
            db.session.execute(table.update().where(table.c.id == bindparam("b_id")), rows)
    if inserts:
        db.session.execute(table.insert(), inserts)


def apply_batch(batch: f.Batch) -> None:
    _apply_monthly(batch)
    _upsert(
        ActiveActor,
        ("actor_key", "month", "kind", "key", "language"),
        [
            {
                "actor_key": k[0],
                "month": k[1],
                "kind": k[2],
                "key": k[3],
                "language": k[4],
                "country_code": cc,
                "region": region,
            }
            for k, (cc, region) in batch.active.items()
        ],
    )
    _upsert(
        ChildReach,
        ("kind", "key", "child", "actor_key"),
        [
            {"kind": k[0], "key": k[1], "child": k[2], "actor_key": k[3], "language": lang}
            for k, lang in batch.children.items()
        ],
    )
    _apply_learners(batch)
    _apply_responses(batch)
    _apply_item_meta(batch)
    _apply_video(batch)
    _apply_readiness(batch)
    _upsert(
        DirtyScope,
        ("scope", "kind", "key"),
        [{"scope": s, "kind": k, "key": key} for s, k, key in batch.dirty],
    )


def mark_dirty(scope: str, kind: str, key: str) -> None:
    """Leave work for the end of the next rollup run, which then moves the data version (dashboards
    and open data recomputed) even when it folds no statement: e.g. a certificate issued without one."""
    _upsert(DirtyScope, ("scope", "kind", "key"), [{"scope": scope, "kind": kind, "key": key}])


def _apply_monthly(batch: f.Batch) -> None:
    rows = [
        {
            **dict(zip(MONTHLY_KEY, k, strict=True)),
            "region": batch.monthly_region.get(k, ""),
            **dict(zip(MONTHLY_COUNTS, c, strict=True)),
        }
        for k, c in batch.monthly.items()
    ]
    _upsert(MonthlyCount, MONTHLY_KEY, rows, lambda ex, t: {c: t.c[c] + ex[c] for c in MONTHLY_COUNTS})


def _apply_learners(batch: f.Batch) -> None:
    key_cols = ("actor_key", "kind", "key")
    existing = _load_by(
        LearnerProgress, "actor_key", (k[0] for k in batch.learners), (*key_cols, *LEARNER_FIELDS), key_cols
    )
    updates, inserts = [], []
    for k, obs in batch.learners.items():
        old = existing.get(k)
        if old is None:
            row = {c: obs.get(c) for c in LEARNER_FIELDS}
            row["n_passed"], row["n_failed"] = obs.get("n_passed") or 0, obs.get("n_failed") or 0
            inserts.append({**dict(zip(key_cols, k, strict=True)), **row})
        else:
            merged = f.merge_learner({c: old[c] for c in LEARNER_FIELDS}, obs)
            updates.append({"b_id": old["id"], **{c: merged.get(c) for c in LEARNER_FIELDS}})
    _write(LearnerProgress, updates, inserts)


def _apply_responses(batch: f.Batch) -> None:
    key_cols = ("kind", "key", "item", "actor_key")
    existing = _load_by(
        ItemResponse, "actor_key", (k[3] for k in batch.responses), (*key_cols, "answered_dt"), key_cols
    )
    updates, inserts = [], []
    for k, (lang, correct, response, ts) in batch.responses.items():
        old = existing.get(k)
        values = {"language": lang, "is_correct": correct, "response": response, "answered_dt": ts}
        if old is None:
            inserts.append({**dict(zip(key_cols, k, strict=True)), **values})
        elif ts < old["answered_dt"]:  # an earlier first attempt arrived late
            updates.append({"b_id": old["id"], **values})
    _write(ItemResponse, updates, inserts)


def _apply_item_meta(batch: f.Batch) -> None:
    key_cols = ("kind", "key", "item")
    existing = _load_by(
        ItemStat,
        "key",
        (k[1] for k in batch.item_meta),
        (*key_cols, "names", "choices", "interaction_type", "correct"),
        key_cols,
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
        values = {
            "names": merged["names"],
            "interaction_type": meta["type"] or merged["type"],
            "correct": meta["correct"] or merged["correct"],
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
            updates.append({"b_id": old["id"], **values})
    _write(ItemStat, updates, inserts)


def _apply_video(batch: f.Batch) -> None:
    _upsert(
        VideoStat,
        ("kind", "key", "language"),
        [{"kind": k[0], "key": k[1], "language": k[2], "length_s": v} for k, v in batch.video_length.items()],
        lambda ex, t: {
            "length_s": case(
                (t.c.length_s.is_(None), ex.length_s),
                (ex.length_s > t.c.length_s, ex.length_s),
                else_=t.c.length_s,
            )
        },
    )
    key_cols = ("kind", "key", "actor_key", "language")
    viewers = _load_by(
        VideoViewer, "actor_key", (k[2] for k in batch.video_minutes), (*key_cols, "minutes"), key_cols
    )
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
            updates.append({"b_id": old["id"], "minutes": sorted(before | added)})
    _write(VideoViewer, updates, inserts)
    _upsert(
        VideoMinute,
        ("kind", "key", "language", "minute"),
        [
            {"kind": k[0], "key": k[1], "language": k[2], "minute": k[3], "viewers": n}
            for k, n in increments.items()
        ],
        lambda ex, t: {"viewers": t.c.viewers + ex.viewers},
    )
    _upsert(
        VideoSession,
        ("kind", "key", "session_ref"),
        [
            {"kind": k[0], "key": k[1], "session_ref": k[2], "actor_key": v[0], "language": v[1], "day": v[2]}
            for k, v in batch.sessions.items()
        ],
    )


def _apply_readiness(batch: f.Batch) -> None:
    existing = _load_by(
        ReadinessResult,
        "country_code",
        batch.readiness,
        ("country_code", "submitted_dt", "n_submissions"),
        ("country_code",),
    )
    updates, inserts = [], []
    for cc, (levels, score, ts, region, key, n) in batch.readiness.items():
        old = existing.get((cc,))
        latest = {
            "levels": levels,
            "score": score,
            "submitted_dt": ts,
            "region": region,
            "questionnaire": key,
        }
        if old is None:
            inserts.append({"country_code": cc, **latest, "n_submissions": n})
        elif ts >= old["submitted_dt"]:
            updates.append({"b_id": old["id"], **latest, "n_submissions": old["n_submissions"] + n})
        else:
            updates.append({"b_id": old["id"], "n_submissions": old["n_submissions"] + n})
    _write(ReadinessResult, updates, inserts)
