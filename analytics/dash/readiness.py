"""Readiness: levels by dimension and UN region from submitted assessments, shown only for groups of
at least k countries (the benchmark's k-anonymity, default 5), and the funnel assessment ->
recommended -> enrolled -> completed."""

from __future__ import annotations

from collections import defaultdict

from flask import current_app
from sqlalchemy import and_, func, select

from analytics.dash.common import Filters, ratio, scope_conds, table
from analytics.labels import DIMENSION_TITLES
from analytics.models import LearnerProgress, ReadinessResult, Referral
from lms.db import db

SUPPORTS = {"region"}
ORDER = {dim: i for i, dim in enumerate(DIMENSION_TITLES)}  # the questionnaire's order


def k_anonymity() -> int:
    return max(2, int(current_app.config.get("ANALYTICS_K_ANONYMITY", 5)))


def compute(f: Filters) -> dict:
    """Levels are countries' (k-anonymous means, the same for every reader); the funnel counts the
    recommendations to the resources in the reader's scope."""
    k = k_anonymity()
    stmt = select(ReadinessResult.region, ReadinessResult.levels, ReadinessResult.n_submissions)
    if f.region:
        stmt = stmt.where(ReadinessResult.region == f.region)
    groups: dict = defaultdict(lambda: defaultdict(list))
    countries: dict = defaultdict(int)
    submissions = 0
    for region, levels, n in db.session.execute(stmt):
        submissions += n or 0
        for region_key in (region or "", "all"):
            countries[region_key] += 1
            for dim, level in (levels or {}).items():
                if level is not None:
                    groups[region_key][dim].append(float(level))
    rows = []
    for region in sorted(groups, key=lambda r: (r == "all", r)):
        for dim in sorted(groups[region], key=lambda d: (ORDER.get(d, len(ORDER)), d)):
            values = groups[region][dim]
            hidden = len(values) < k
            # Only means of k or more countries: a minimum or maximum would reveal one country's level.
            rows.append(
                [region, dim, len(values), None if hidden else round(sum(values) / len(values), 3), hidden]
            )
    region_rows = [[r, n, n < k] for r, n in sorted(countries.items(), key=lambda x: (x[0] == "all", x[0]))]

    R, L = Referral, LearnerProgress
    funnel_q = (
        select(func.count(R.id), func.count(L.registered_dt), func.count(L.completed_dt))
        .select_from(R)
        .outerjoin(L, and_(L.user_id == R.user_id, L.kind == R.kind, L.key == R.key))
        .where(R.source == "readiness", *scope_conds(R, f.scope))
    )
    recommended, enrolled, completed = (int(x or 0) for x in db.session.execute(funnel_q).one())
    assessed = countries.get("all", 0)
    funnel = [
        ["assessments_submitted", submissions, None],
        ["countries_assessed", assessed, None],
        ["recommended", recommended, None],
        ["enrolled", enrolled, ratio(enrolled, recommended)],
        ["completed", completed, ratio(completed, enrolled)],
    ]
    return {
        "k": k,
        "tables": {
            "levels": table(["region", "dimension", "countries", "mean_level", "is_suppressed"], rows),
            "regions": table(["region", "countries", "is_suppressed"], region_rows),
            "funnel": table(["step", "value", "conversion"], funnel),
        },
    }
