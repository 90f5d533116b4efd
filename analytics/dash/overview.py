"""Overview: registered learners, active learners, enrolments, completions, certificates, by month,
region and language, with filters by resource, language, UN region, country and period."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import distinct, func, select

from analytics.dash.common import LEARNING_KINDS, Filters, month_range, table, where
from analytics.models import ActiveActor, Certificate, MonthlyCount
from analytics.parsing import month_of
from lms.db import db
from lms.models import Country, User

SUPPORTS = {"resource", "language", "region", "country", "start", "end"}


def _counts_by(dim, f: Filters) -> dict:
    """{dim value: {"enrolments": n, "completions": n}} from the monthly counters."""
    M = MonthlyCount
    out: dict = defaultdict(lambda: {"enrolments": 0, "completions": 0})
    stmt = (
        select(dim, M.verb, M.kind, func.sum(M.n))
        .where(*where(M, f), M.verb.in_(("registered", "completed")))
        .group_by(dim, M.verb, M.kind)
    )
    for value, verb, kind, n in db.session.execute(stmt):
        if verb == "registered":
            out[value]["enrolments"] += int(n or 0)
        elif kind in LEARNING_KINDS:
            out[value]["completions"] += int(n or 0)
    return out


def _active_by(dim, f: Filters) -> dict:
    A = ActiveActor
    stmt = select(dim, func.count(distinct(A.actor_key))).where(*where(A, f)).group_by(dim)
    return {v: int(n) for v, n in db.session.execute(stmt)}


def _registered_users(f: Filters) -> tuple[dict, int] | tuple[None, None]:
    """New accounts by month (accounts are not tied to a resource: none when a resource is chosen or
    the reader sees only their own resources)."""
    if f.resource or f.scope is not None:
        return None, None
    stmt = select(User.created_dt).where(User.deleted_dt.is_(None))
    if f.language:
        stmt = stmt.where(User.locale == f.language)
    if f.country:
        stmt = stmt.where(User.country_code == f.country)
    if f.region:
        stmt = stmt.join(Country, Country.code == User.country_code).where(Country.region == f.region)
    if f.start:
        stmt = stmt.where(User.created_dt >= f.start_dt())
    if f.end:
        stmt = stmt.where(User.created_dt < f.end_dt())
    by_month: dict = defaultdict(int)
    total = 0
    for (created,) in db.session.execute(stmt):
        by_month[month_of(created)] += 1
        total += 1
    return by_month, total


def _certificates(f: Filters) -> tuple[dict, dict, dict, int]:
    C = Certificate
    by_month: dict = defaultdict(int)
    by_region: dict = defaultdict(int)
    by_lang: dict = defaultdict(int)
    total = 0
    stmt = select(C.issued_dt, C.region, C.language).where(*where(C, f, month=None, dt="issued_dt"))
    for issued, region, lang in db.session.execute(stmt):
        by_month[month_of(issued)] += 1
        by_region[region or ""] += 1
        by_lang[lang or "und"] += 1
        total += 1
    return by_month, by_region, by_lang, total


def compute(f: Filters) -> dict:
    M, A = MonthlyCount, ActiveActor
    counts = _counts_by(M.month, f)
    active = _active_by(A.month, f)
    users, users_total = _registered_users(f)
    cert_month, cert_region, cert_lang, cert_total = _certificates(f)
    months = month_range([*counts, *active, *(users or {}), *cert_month])
    if f.start:
        months = [m for m in months if m >= f.start]
    if f.end:
        months = [m for m in months if m <= f.end]
    by_month = [
        [
            m,
            None if users is None else users.get(m, 0),
            active.get(m, 0),
            counts[m]["enrolments"] if m in counts else 0,
            counts[m]["completions"] if m in counts else 0,
            cert_month.get(m, 0),
        ]
        for m in months
    ]

    def by_dim(dim_m, dim_a, certs):
        c, a = _counts_by(dim_m, f), _active_by(dim_a, f)
        keys = sorted(set(c) | set(a) | set(certs))
        return [
            [
                k,
                a.get(k, 0),
                c[k]["enrolments"] if k in c else 0,
                c[k]["completions"] if k in c else 0,
                certs.get(k, 0),
            ]
            for k in keys
        ]

    total_active = db.session.scalar(select(func.count(distinct(A.actor_key))).where(*where(A, f))) or 0
    enrolments = sum(r[3] for r in by_month)
    completions = sum(r[4] for r in by_month)
    totals = [
        ["registered_learners", users_total],
        ["active_learners", total_active],
        ["enrolments", enrolments],
        ["completions", completions],
        ["certificates", cert_total],
    ]
    return {
        "tables": {
            "totals": table(["measure", "value"], totals),
            "by_month": table(
                [
                    "month",
                    "registered_learners",
                    "active_learners",
                    "enrolments",
                    "completions",
                    "certificates",
                ],
                by_month,
            ),
            "by_region": table(
                ["region", "active_learners", "enrolments", "completions", "certificates"],
                by_dim(M.region, A.region, cert_region),
            ),
            "by_language": table(
                ["language", "active_learners", "enrolments", "completions", "certificates"],
                by_dim(M.language, A.language, cert_lang),
            ),
        }
    }
