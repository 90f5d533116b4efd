"""The incremental rollup job: folds the statements stored since the last run into the rollup tables.

- **Incremental**: only statements with ``id`` above the watermark (``analytics_state``) are read.
- **Idempotent and crash-safe**: each batch's rollup changes and the watermark move commit in one
  transaction; a crash rolls both back.
- **Safe to run twice at once**: a run first takes the lock row with a compare-and-set (free or
  expired lock only); a second run finds it taken and returns ``skipped``. Each batch moves the
  watermark with a compare-and-set on ``(lock_token, last_statement_id)``, so a run whose lock expired
  and was taken over stops instead of counting a batch twice.
- **Settling**: statements stored in the last ``ANALYTICS_SETTLE_SECONDS`` (default 5) are left for
  the next run, so that a statement whose transaction committed late is not skipped by the watermark.

Like :func:`lms.mail.deliver_outbox`, this is a job: it commits its own work batch by batch.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from analytics.apply import apply_batch
from analytics.fold import Batch, StatementRow, needs_data
from analytics.items import analyse_course
from analytics.models import ROLLUP_TABLES, DirtyScope, RollupState
from analytics.statements import fill_countries, read_after, read_statements
from analytics.voiding import refold_voided
from lms.db import db, new_uuid, utcnow
from lms.models import Country
from lms.xapi.models import Statement

log = logging.getLogger(__name__)

STATE_NAME = "rollup"
LOCK_TTL = timedelta(minutes=10)
DEFAULT_BATCH = 5000


class RollupBusy(RuntimeError):
    """Another run holds the lock."""


class LockLost(RuntimeError):
    """This run's lock expired and another run took over; the current batch was rolled back."""


@dataclass
class RollupResult:
    processed: int = 0
    batches: int = 0
    items_recomputed: int = 0
    seconds: float = 0.0
    watermark: int = 0
    skipped: bool = False

    def __str__(self) -> str:
        if self.skipped:
            return "analytics rollup: skipped (another run holds the lock)"
        return (
            f"analytics rollup: {self.processed} statements in {self.batches} batches, "
            f"{self.items_recomputed} courses' items recomputed, {self.seconds:.2f}s, "
            f"watermark {self.watermark}"
        )


# -- lock and state -----------------------------------------------------------------------------------
def get_state() -> RollupState | None:
    return db.session.get(RollupState, STATE_NAME)


def _ensure_state() -> None:
    if db.session.get(RollupState, STATE_NAME) is None:
        try:
            db.session.add(RollupState(name=STATE_NAME))
            db.session.commit()
        except IntegrityError:  # another run created it first
            db.session.rollback()


def acquire_lock(token: str) -> bool:
    """Take the lock if it is free or expired (compare-and-set). Commits."""
    _ensure_state()
    now = utcnow()
    res = db.session.execute(
        update(RollupState)
        .where(
            RollupState.name == STATE_NAME,
            or_(RollupState.lock_token.is_(None), RollupState.lock_expires_dt < now),
        )
        .values(lock_token=token, lock_expires_dt=now + LOCK_TTL)
    )
    db.session.commit()
    return res.rowcount == 1


def release_lock(token: str) -> None:
    db.session.rollback()
    db.session.execute(
        update(RollupState)
        .where(RollupState.name == STATE_NAME, RollupState.lock_token == token)
        .values(lock_token=None, lock_expires_dt=None, is_rebuilding=False)
    )
    db.session.commit()


def _claim(token: str, expected_last: int, bump: bool = True, **values) -> None:
    """Compare-and-set on the state row inside the current transaction; raises :class:`LockLost`.
    ``bump``: the rollups change, so the data version moves (dashboard snapshots become stale)."""
    if bump:
        values["version"] = RollupState.version + 1
    res = db.session.execute(
        update(RollupState)
        .where(
            RollupState.name == STATE_NAME,
            RollupState.lock_token == token,
            RollupState.last_statement_id == expected_last,
        )
        .values(lock_expires_dt=utcnow() + LOCK_TTL, **values)
    )
    if res.rowcount != 1:
        db.session.rollback()
        raise LockLost("the analytics rollup lock was taken over by another run")


def _fold_batch(rows: list[StatementRow], regions: dict[str, str]) -> Batch:
    fill_countries(rows)
    want = [r.id for r in rows if needs_data(r)]
    data = {}
    for i in range(0, len(want), 900):
        data.update(
            db.session.execute(
                select(Statement.id, Statement.data).where(Statement.id.in_(want[i : i + 900]))
            ).all()
        )
    batch = Batch(regions=regions)
    targets = [r.object_statement_id for r in rows if r.verb == "voided" and r.object_statement_id]
    voided, sid = {}, {}
    if targets:
        for t in read_statements([Statement.statement_id.in_(targets), Statement.id <= rows[-1].id]):
            voided[t.id] = t
        sid = dict(
            db.session.execute(
                select(Statement.statement_id, Statement.id).where(Statement.id.in_(list(voided)))
            ).all()
        )
    for r in rows:
        batch.fold(r, data.get(r.id))
        if r.verb == "voided" and r.object_statement_id:
            target = voided.get(sid.get(r.object_statement_id, -1))
            if target is not None and target.id < r.id and target.verb != "voided":
                fill_countries([target])
                batch.fold_counts(target, sign=-1)  # take back what the voided statement added
                batch.voided.append(target)  # and out of the other rollups: analytics.voiding
    return batch


# -- the run -----------------------------------------------------------------------------------------
def _settle_seconds(settle_seconds: float | None) -> float:
    if settle_seconds is not None:
        return settle_seconds
    return float(current_app.config.get("ANALYTICS_SETTLE_SECONDS", 5))


def pending_count(settle_seconds: float | None = None) -> int:
    state = get_state()
    last = state.last_statement_id if state else 0
    cutoff = utcnow() - timedelta(seconds=_settle_seconds(settle_seconds))
    return (
        db.session.scalar(
            select(func.count(Statement.id)).where(Statement.id > last, Statement.stored_dt <= cutoff)
        )
        or 0
    )


def _process(
    token: str, batch_size: int, settle: float, progress: Callable[[int], None] | None
) -> RollupResult:
    started = time.monotonic()
    result = RollupResult()
    regions = dict(db.session.execute(select(Country.code, Country.region)).all())
    cutoff = utcnow() - timedelta(seconds=settle)
    high = db.session.scalar(select(func.max(Statement.id)).where(Statement.stored_dt <= cutoff)) or 0
    last = get_state().last_statement_id
    db.session.commit()
    while last < high:
        rows = read_after(last, high, batch_size)
        if not rows:
            break
        new_last = rows[-1].id
        _claim(token, last, last_statement_id=new_last, last_stored_dt=max(r.stored_dt for r in rows))
        batch = _fold_batch(rows, regions)
        apply_batch(batch)
        if batch.voided:
            apply_batch(refold_voided(batch.voided, regions, new_last))
        db.session.commit()
        result.processed += len(rows)
        result.batches += 1
        last = new_last
        if progress:
            progress(len(rows))
    result.items_recomputed = _process_dirty(token, last)
    _claim(
        token,
        last,
        bump=False,
        last_run_dt=utcnow(),
        last_run_count=result.processed,
        last_run_seconds=round(time.monotonic() - started, 3),
    )
    db.session.commit()
    from analytics.snapshots import refresh_after_run

    if result.processed or result.items_recomputed:
        refresh_after_run()
    result.watermark = last
    result.seconds = time.monotonic() - started
    return result


def _process_dirty(token: str, last: int) -> int:
    done = 0
    for scope in db.session.scalars(select(DirtyScope).order_by(DirtyScope.id)).all():
        _claim(token, last)
        if scope.scope == "items":
            analyse_course(scope.kind, scope.key)
        db.session.delete(scope)
        db.session.commit()
        done += 1
    return done


def run_rollup(
    *,
    batch_size: int | None = None,
    settle_seconds: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> RollupResult:
    """Fold the new statements into the rollups (the scheduled job). Returns what was done; a run that
    finds the lock taken returns ``skipped=True`` and does nothing."""
    token = new_uuid()
    if not acquire_lock(token):
        return RollupResult(skipped=True)
    try:
        return _process(token, batch_size or DEFAULT_BATCH, _settle_seconds(settle_seconds), progress)
    finally:
        release_lock(token)


def rebuild(
    *,
    batch_size: int | None = None,
    settle_seconds: float | None = None,
    progress: Callable[[int], None] | None = None,
    before_start: Callable[[int], None] | None = None,
) -> RollupResult:
    """Empty the rollups and fold every statement again. Raises :class:`RollupBusy` when a run holds
    the lock. ``before_start(total)`` is called with the number of statements to fold."""
    token = new_uuid()
    if not acquire_lock(token):
        raise RollupBusy("an analytics rollup is running; try again when it has finished")
    try:
        for model in ROLLUP_TABLES:
            db.session.execute(delete(model))
        db.session.execute(
            update(RollupState)
            .where(RollupState.name == STATE_NAME, RollupState.lock_token == token)
            .values(
                last_statement_id=0, version=RollupState.version + 1, is_rebuilding=True, last_stored_dt=None
            )
        )
        db.session.commit()
        settle = _settle_seconds(settle_seconds)
        if before_start:
            before_start(pending_count(settle))
        return _process(token, batch_size or DEFAULT_BATCH, settle, progress)
    finally:
        release_lock(token)
