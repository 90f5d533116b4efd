"""Dashboard snapshots: a computed payload is stored with the data version it was computed from and
served until the rollup job (or a change in users, certificates or referrals) moves the version.
The rollup job computes the unfiltered dashboards right after each run, so the pages most people
open are ready before anyone asks."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from analytics.dash import courses, media, overview, readiness
from analytics.dash.common import Filters
from analytics.models import RollupState, Snapshot
from lms.db import db, utcnow


@dataclass(frozen=True)
class Dashboard:
    name: str
    compute: Callable[..., dict]
    supports: frozenset
    live: Callable[[], str] | None = None
    warm: bool = True


def _opendata(f: Filters, year: str | None = None) -> dict:
    from analytics import opendata

    return opendata.compute(year)


DASHBOARDS = {
    d.name: d
    for d in (
        Dashboard("overview", overview.compute, frozenset(overview.SUPPORTS), overview.live_version),
        Dashboard("courses", courses.compute, frozenset(courses.SUPPORTS), overview.live_version),
        Dashboard(
            "course", courses.compute_detail, frozenset(courses.SUPPORTS), overview.live_version, warm=False
        ),
        Dashboard("items", courses.compute_items, frozenset(), None, warm=False),
        Dashboard("webinars", media.compute_webinars, frozenset(media.WEBINAR_SUPPORTS)),
        Dashboard("webinar", media.compute_webinar_detail, frozenset(media.WEBINAR_SUPPORTS), warm=False),
        Dashboard("workshops", media.compute_workshops, frozenset(media.WORKSHOP_SUPPORTS)),
        Dashboard("readiness", readiness.compute, frozenset(readiness.SUPPORTS), readiness.live_version),
        Dashboard("open_data", _opendata, frozenset(), overview.live_version),
    )
}


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def data_version() -> int:
    state = db.session.get(RollupState, "rollup")
    return state.version if state else 0


def snapshot_key(name: str, f: Filters | None = None, **args) -> tuple[str, str]:
    """``(cache key, current data version)`` of a dashboard's snapshot."""
    dash = DASHBOARDS[name]
    params = {"filters": (f or Filters()).as_dict(), **args}
    cache_key = hashlib.sha256(json.dumps([name, params], sort_keys=True).encode()).hexdigest()
    return cache_key, f"{data_version()}:{dash.live() if dash.live else ''}"


def get_payload(name: str, f: Filters | None = None, *, _key: tuple[str, str] | None = None, **args) -> dict:
    """The payload of dashboard ``name`` for filters ``f`` (and extra arguments such as a course key),
    from its snapshot when current, else computed and stored. Flushes; the caller commits."""
    dash = DASHBOARDS[name]
    f = f or Filters()
    cache_key, version = _key or snapshot_key(name, f, **args)
    row = db.session.scalar(select(Snapshot).filter_by(cache_key=cache_key))
    if row is not None and row.version == version:
        return row.payload
    payload = json.loads(json.dumps(dash.compute(f, **args), default=_jsonable))
    payload["computed"] = utcnow().isoformat()
    if row is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    Snapshot(cache_key=cache_key, dashboard=name, version=version, payload=payload)
                )
        except IntegrityError:  # computed at the same time by another request: theirs is as good
            pass
    else:
        row.version, row.payload, row.computed_dt = version, payload, utcnow()
    db.session.flush()
    return payload


def refresh_after_run() -> None:
    """Drop snapshots of older data versions and compute the unfiltered dashboards. Commits (job)."""
    prefix = f"{data_version()}:"
    for row in db.session.execute(select(Snapshot.id, Snapshot.version)).all():
        if not row.version.startswith(prefix):
            db.session.execute(delete(Snapshot).where(Snapshot.id == row.id))
    db.session.commit()
    for dash in DASHBOARDS.values():
        if dash.warm:
            get_payload(dash.name)
    db.session.commit()
