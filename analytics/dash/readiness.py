"""Readiness: levels by dimension and UN region from submitted assessments, shown only for groups of
at least k countries (the benchmark's k-anonymity, default 5), and the funnel assessment ->
recommended -> enrolled -> completed.

The mean of all regions is the countries-weighted mean of the regions' means, so a hidden group's
mean could be worked out from it and the shown groups' means (total minus the shown ones). Secondary
suppression (:func:`hidden_groups`) therefore also hides the smallest shown groups until the hidden
ones together hold at least k countries (or nothing is shown): the mean of all regions, the figure
most readers come for, stays."""

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


def hidden_groups(sizes: dict[str, int], k: int) -> set[str]:
    """The groups (of ``sizes``: countries per group, the groups adding up to the shown total) whose
    mean is hidden: those under ``k`` countries, then, while the hidden ones hold 1 to k-1 countries
    together, the smallest shown group too (their combined mean would be total minus the shown)."""
    hidden = {g for g, n in sizes.items() if n < k}
    shown = sorted((g for g in sizes if g not in hidden), key=lambda g: (sizes[g], g))
    while shown and 0 < sum(sizes[g] for g in hidden) < k:
        hidden.add(shown.pop(0))
    return hidden


def compute(f: Filters) -> dict:
    """Levels are countries' (k-anonymous means, the same for every reader); the funnel counts the
    recommendations to the resources in the reader's scope."""
    k = k_anonymity()
    # Every region is read even when the page is filtered to one: which means are hidden is decided
    # over all of them, or a region hidden only to protect a smaller one would be shown on its own.
    stmt = select(ReadinessResult.region, ReadinessResult.levels, ReadinessResult.n_submissions)
    groups: dict = defaultdict(lambda: defaultdict(list))
    all_countries: dict = defaultdict(int)
    submissions = 0
    for region, levels, n in db.session.execute(stmt):
        if not f.region or region == f.region:
            submissions += n or 0
        for region_key in (region or "", "all"):
            all_countries[region_key] += 1
            for dim, level in (levels or {}).items():
                if level is not None:
                    groups[region_key][dim].append(float(level))
    regions = sorted(r for r in groups if r != "all")
    dims = sorted({d for r in groups for d in groups[r]}, key=lambda d: (ORDER.get(d, len(ORDER)), d))
    rows = []
    for dim in dims:
        sizes = {r: len(groups[r][dim]) for r in regions if groups[r].get(dim)}
        hidden = hidden_groups(sizes, k) | ({"all"} if len(groups["all"][dim]) < k else set())
        for region in [*sizes, "all"]:
            values = groups[region][dim]
            # Only means of k or more countries: a minimum or maximum would reveal one country's level.
            mean = None if region in hidden else round(sum(values) / len(values), 3)
            rows.append([region, dim, len(values), mean, region in hidden])
    hidden_regions = hidden_groups({r: n for r, n in all_countries.items() if r != "all"}, k)
    if all_countries.get("all", 0) < k:
        hidden_regions.add("all")
    region_rows = [[r, n, r in hidden_regions] for r, n in all_countries.items()]
    if f.region:
        # One region: its rows, and "all" standing for it (the same countries, hidden alike).
        rows = [row for row in rows if row[0] == f.region]
        rows += [["all", *row[1:]] for row in rows]
        region_rows = [row for row in region_rows if row[0] == f.region]
        region_rows += [["all", *row[1:]] for row in region_rows]
    rows.sort(key=lambda r: (r[0] == "all", r[0], ORDER.get(r[1], len(ORDER)), r[1]))
    region_rows.sort(key=lambda r: (r[0] == "all", r[0]))
    countries = {r: n for r, n, _hidden in region_rows}

    R, L = Referral, LearnerProgress
    funnel_q = (
        select(func.count(R.id), func.count(L.registered_dt), func.count(L.completed_dt))
        .select_from(R)
        .outerjoin(L, and_(L.user_id == R.user_id, L.kind == R.kind, L.key == R.key))
        .where(R.source == "readiness", *scope_conds(R, f.scope))
    )
    recommended, enrolled, completed = (int(x or 0) for x in db.session.execute(funnel_q).one())
    assessed = countries.get("all", 0)
    steps = [
        ("assessments_submitted", submissions),
        ("countries_assessed", assessed),
        ("recommended", recommended),
        ("enrolled", enrolled),
        ("completed", completed),
    ]
    # Enrolments as a share of the recommendations, completions of the enrolments (none when the step
    # before is 0). Submissions, countries and recommended resources are not shares of one another.
    shared = {"enrolled", "completed"}
    funnel = [
        [step, value, ratio(value, steps[i - 1][1]) if step in shared else None]
        for i, (step, value) in enumerate(steps)
    ]
    return {
        "k": k,
        "tables": {
            "levels": table(["region", "dimension", "countries", "mean_level", "is_suppressed"], rows),
            "regions": table(["region", "countries", "is_suppressed"], region_rows),
            "funnel": table(["step", "value", "conversion"], funnel),
        },
    }
