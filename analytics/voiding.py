"""Taking voided statements out of every rollup they fed.

The monthly counters are sums, so a voiding statement takes its target back with a negative fold
(:meth:`analytics.fold.Batch.fold_counts` with ``sign=-1``). The other rollups merge by rule (first and
last dates, sets of minutes watched, a learner's first answer, a country's latest assessment) and cannot
be subtracted from. For those, the rollup job *refolds*: it deletes the rows the voided statement's
learner has on that resource and folds that learner's remaining (not voided) statements on it again;
a voided readiness submission makes it refold every readiness submission (one or a few per country).

This runs in the same transaction as the batch that holds the voiding statement, so the watermark and
the rollups still move together. It reads only the voided statements' learners' statements, so a
voiding costs about one learner's history, not a rebuild.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, select, update

from analytics import parsing as p
from analytics.fold import Batch, StatementRow, needs_data
from analytics.models import (
    ActiveActor,
    ChildReach,
    ItemResponse,
    LearnerProgress,
    ReadinessResult,
    VideoMinute,
    VideoSession,
    VideoViewer,
)
from analytics.statements import fill_countries, read_statements
from lms.db import db
from lms.xapi.models import Statement

CHUNK = 900


def _statement_data(rows: list[StatementRow]) -> dict[int, dict]:
    want = [r.id for r in rows if needs_data(r)]
    data: dict[int, dict] = {}
    for i in range(0, len(want), CHUNK):
        data.update(
            db.session.execute(
                select(Statement.id, Statement.data).where(Statement.id.in_(want[i : i + CHUNK]))
            ).all()
        )
    return data


def _resource(row: StatementRow) -> tuple[str, str]:
    kind, key, _child = row.resource or ("", "", "")
    return kind, key


def _forget_learner(batch: Batch, actor: str, kind: str, key: str) -> None:
    """Delete what ``actor`` added to the per-learner rollups of resource ``kind:key``."""
    viewers = db.session.execute(
        select(VideoViewer.id, VideoViewer.language, VideoViewer.minutes).where(
            VideoViewer.actor_key == actor, VideoViewer.kind == kind, VideoViewer.key == key
        )
    ).all()
    less: dict = defaultdict(int)
    for _id, lang, minutes in viewers:
        for minute in minutes or []:
            less[(lang, minute)] += 1
    for (lang, minute), n in less.items():
        db.session.execute(
            update(VideoMinute)
            .where(
                VideoMinute.kind == kind,
                VideoMinute.key == key,
                VideoMinute.language == lang,
                VideoMinute.minute == minute,
            )
            .values(viewers=VideoMinute.viewers - n)
        )
    for model in (VideoViewer, ActiveActor, LearnerProgress, ChildReach, ItemResponse, VideoSession):
        db.session.execute(
            delete(model).where(model.actor_key == actor, model.kind == kind, model.key == key)
        )
    batch.dirty.add(("items", kind, key))  # item statistics are recomputed from the responses left


def _refold_readiness(batch: Batch, upto: int, verb_ids: set[str]) -> None:
    known = {**p.KNOWN_VERBS, **p.PLATFORM_VERBS}
    submitted = sorted(verb_ids | {iri for iri, verb in known.items() if verb == "submitted"})
    live = [Statement.verb_id.in_(submitted), Statement.id <= upto, Statement.is_voided.is_(False)]
    rows = [r for r in read_statements(live) if r.resource and r.resource[0] in p.READINESS_KINDS]
    fill_countries(rows)
    db.session.execute(delete(ReadinessResult))
    data = _statement_data(rows)
    for r in rows:
        batch.fold(r, data.get(r.id), counts=False)


def refold_voided(targets: list[StatementRow], regions: dict[str, str], upto: int) -> Batch:
    """Take the voided ``targets`` (already folded, and counted back in the monthly counters) out of
    every other rollup: forget their learners on their resources and fold those learners' statements
    up to ``upto`` that are not voided again. Returns the batch to apply (it has no monthly counts)."""
    batch = Batch(regions=regions)
    scopes = {(t.actor_key, *_resource(t)) for t in targets if t.actor_key}
    for actor in sorted({s[0] for s in scopes}):
        mine = {(kind, key) for a, kind, key in scopes if a == actor}
        for kind, key in sorted(mine):
            _forget_learner(batch, actor, kind, key)
        live = [Statement.actor_key == actor, Statement.id <= upto, Statement.is_voided.is_(False)]
        rows = [r for r in read_statements(live) if _resource(r) in mine]
        fill_countries(rows)
        data = _statement_data(rows)
        for r in rows:
            batch.fold(r, data.get(r.id), counts=False)
    submissions = [
        t for t in targets if t.resource and t.resource[0] in p.READINESS_KINDS and t.verb == "submitted"
    ]
    if submissions:
        batch.readiness.clear()  # the learners' own submissions are folded again with everyone's
        _refold_readiness(batch, upto, {t.verb_id for t in submissions})
    db.session.flush()
    return batch
