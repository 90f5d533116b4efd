"""What every dashboard shares: filters, tables, the registry lookups and small statistics.

A dashboard computes a *payload*: ``{"tables": {name: {"columns": [...], "rows": [[...]]}}, ...}``
with plain JSON values only (no translated text), so it can be cached in a snapshot and exported as
CSV/JSON. Labels are added when rendering (:data:`analytics.labels.COLUMN_LABELS`).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import and_, false, or_, select

from lms.db import db
from lms.models import UN_REGIONS
from lms.registry import KINDS, LearningResource

RESOURCE_RE = re.compile(r"^([a-z_]{1,30}):([A-Za-z0-9_.\-]{1,120})$")
MONTH_RE = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")

LEARNING_KINDS = ("course", "kit", "workshop")


class FilterError(ValueError):
    """A filter value that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Filters:
    resource: str = ""  # "kind:key"
    language: str = ""
    region: str = ""
    country: str = ""
    start: str = ""  # YYYY-MM, inclusive
    end: str = ""  # YYYY-MM, inclusive
    scope: tuple[str, ...] | None = None
    """The ``"kind:key"`` refs the reader may see (a trainer's own resources), sorted; ``None``: all
    (admins). Not a request argument: set with :meth:`scoped` from :func:`analytics.scope.user_scope`."""

    @classmethod
    def parse(cls, args, allowed: set[str] | None = None) -> Filters:
        """Build from request arguments; raises :class:`FilterError` with a readable reason."""
        from flask_babel import gettext as _

        values = {}
        for name in ("resource", "language", "region", "country", "start", "end"):
            raw = (args.get(name) or "").strip()
            if not raw:
                continue
            if allowed is not None and name not in allowed:
                continue
            values[name] = raw
        if "resource" in values:
            m = RESOURCE_RE.match(values["resource"])
            if not m or m.group(1) not in KINDS:
                raise FilterError(_("Unknown resource “%(value)s”.", value=values["resource"][:80]))
        if "language" in values and not LANG_RE.match(values["language"]):
            raise FilterError(_("Unknown language “%(value)s”.", value=values["language"][:20]))
        if "region" in values and values["region"] not in UN_REGIONS:
            raise FilterError(_("Unknown region “%(value)s”.", value=values["region"][:40]))
        if "country" in values:
            values["country"] = values["country"].upper()
            if not COUNTRY_RE.match(values["country"]):
                raise FilterError(_("Unknown country “%(value)s”.", value=values["country"][:20]))
        for name in ("start", "end"):
            if name in values and not MONTH_RE.match(values[name]):
                raise FilterError(
                    _(
                        "Months are written YYYY-MM, e.g. 2024-06; “%(value)s” is not.",
                        value=values[name][:20],
                    )
                )
        if values.get("start") and values.get("end") and values["start"] > values["end"]:
            raise FilterError(_("The period starts after it ends."))
        return cls(**values)

    def as_dict(self) -> dict:
        """The request arguments (the scope is not one)."""
        return {k: v for k, v in asdict(self).items() if v and k != "scope"}

    def scoped(self, scope: tuple[str, ...] | None) -> Filters:
        return replace(self, scope=None if scope is None else tuple(sorted(set(scope))))

    def allows(self, kind: str, key: str) -> bool:
        """Whether the reader's scope includes resource ``kind:key``."""
        return self.scope is None or f"{kind}:{key}" in self.scope

    @property
    def kind_key(self) -> tuple[str, str] | None:
        if not self.resource:
            return None
        kind, _, key = self.resource.partition(":")
        return kind, key

    def start_dt(self) -> datetime | None:
        if not self.start:
            return None
        y, m = map(int, self.start.split("-"))
        return datetime(y, m, 1, tzinfo=UTC)

    def end_dt(self) -> datetime | None:
        """The first instant after the period (exclusive bound)."""
        if not self.end:
            return None
        y, m = map(int, self.end.split("-"))
        return datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=UTC)


def where(
    model,
    f: Filters,
    *,
    month: str | None = "month",
    dt: str | None = None,
    region: bool = True,
    country: bool = True,
    language: bool = True,
    resource: bool = True,
) -> list:
    """SQL conditions for ``f`` on a model with the usual dimension columns."""
    conds = []
    kk = f.kind_key
    if resource and kk:
        conds += [model.kind == kk[0], model.key == kk[1]]
    if resource:
        conds += scope_conds(model, f.scope)
    if language and f.language:
        conds.append(model.language == f.language)
    if region and f.region:
        conds.append(model.region == f.region)
    if country and f.country:
        conds.append(model.country_code == f.country)
    if month:
        col = getattr(model, month)
        if f.start:
            conds.append(col >= f.start)
        if f.end:
            conds.append(col <= f.end)
    elif dt:
        col = getattr(model, dt)
        if f.start:
            conds.append(col >= f.start_dt())
        if f.end:
            conds.append(col < f.end_dt())
    return conds


def scope_conds(model, scope: tuple[str, ...] | None) -> list:
    """Rows of ``model`` (with ``kind`` and ``key`` columns) inside ``scope``: nothing when the scope
    is empty, no condition when it is ``None``. One ``key IN (...)`` per kind, so indexes still serve."""
    if scope is None:
        return []
    by_kind: dict[str, list[str]] = {}
    for ref in scope:
        kind, _, key = ref.partition(":")
        by_kind.setdefault(kind, []).append(key)
    if not by_kind:
        return [false()]
    return [or_(*(and_(model.kind == kind, model.key.in_(keys)) for kind, keys in sorted(by_kind.items())))]


def table(columns: list[str], rows: list[list]) -> dict:
    return {"columns": list(columns), "rows": [list(r) for r in rows]}


def ratio(num, den, digits: int = 4) -> float | None:
    return round(num / den, digits) if den else None


def median(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


def days_between(a: datetime | None, b: datetime | None) -> float | None:
    if a is None or b is None:
        return None
    return max(0.0, (b - a).total_seconds() / 86400)


def month_range(months: list[str]) -> list[str]:
    """Every month from the first to the last of ``months`` (so charts have no silent gaps)."""
    if not months:
        return []
    first, last = min(months), max(months)
    y, m = map(int, first.split("-"))
    out = []
    while True:
        cur = f"{y:04d}-{m:02d}"
        out.append(cur)
        if cur >= last or len(out) > 600:
            return out
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def resources(kinds=None, scope: tuple[str, ...] | None = None) -> dict[str, LearningResource]:
    """Registry resources by ``"kind:key"`` (published or not: past activity still needs a title),
    only those in ``scope`` unless it is ``None``."""
    stmt = select(LearningResource).where(*scope_conds(LearningResource, scope))
    if kinds:
        stmt = stmt.where(LearningResource.kind.in_(list(kinds)))
    return {f"{r.kind}:{r.key}": r for r in db.session.scalars(stmt)}


def resource_title(ref: str, lang: str, known: dict[str, LearningResource] | None = None) -> str:
    res = (known or {}).get(ref)
    if res is None and known is None:
        kind, _, key = ref.partition(":")
        res = db.session.scalar(select(LearningResource).filter_by(kind=kind, key=key))
    return res.title(lang) if res is not None else ref
