"""The anonymised benchmark: a country's scores against its UN region and against all Parties.

- Only countries that opted in are counted, and only their latest stored result of the same cycle.
- The viewing country is never part of its own comparison groups.
- Only medians and quartiles are shown, rounded to 5 points, never single values or means.
- A group (per dimension) is shown only when at least :data:`MIN_COUNTRIES` other countries have a level
  in it (k-anonymity).
- Complementary suppression: the all-Parties figure is withheld when it differs from the region's by
  fewer than :data:`MIN_COUNTRIES` countries, so that comparing the two cannot single out a few
  countries outside the region.

The secretariat's view (levels by region) is not anonymised: the secretariat sees every submission.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

from sqlalchemy import select

from lms.db import db
from lms.models import Country
from readiness.models import Assessment, Result

MIN_COUNTRIES = 5
ROUND_TO = 0.05


def _latest_results(cycle: str | None = None, opted_in_only: bool = True) -> list[tuple[Assessment, Result]]:
    stmt = select(Assessment).where(Assessment.state.in_(("submitted", "acknowledged")))
    if cycle is not None:
        stmt = stmt.where(Assessment.cycle == cycle)
    if opted_in_only:
        stmt = stmt.where(Assessment.is_benchmark_opt_in.is_(True))
    assessments = list(db.session.scalars(stmt))
    if not assessments:
        return []
    ids = [a.id for a in assessments]
    latest: dict[int, Result] = {}
    for res in db.session.scalars(select(Result).where(Result.assessment_id.in_(ids)).order_by(Result.id)):
        latest[res.assessment_id] = res
    return [(a, latest[a.id]) for a in assessments if a.id in latest]


def _round(value: float) -> float:
    return round(round(value / ROUND_TO) * ROUND_TO, 2)


def summarise(scores: list[float]) -> dict:
    """Quartiles and median of at least :data:`MIN_COUNTRIES` scores, rounded; raises on fewer."""
    if len(scores) < MIN_COUNTRIES:
        raise ValueError("too few values to publish")
    q1, median, q3 = statistics.quantiles(sorted(scores), n=4, method="inclusive")
    return {"q1": _round(q1), "median": _round(median), "q3": _round(q3)}


def benchmark(assessment: Assessment, dimension_ids: list[str]) -> dict:
    """The comparison groups for ``assessment``: ``{"region", "groups": [{"key", "count",
    "dimensions": {dim: summary or None}}]}``; ``None`` for a suppressed dimension."""
    region = assessment.country.region if assessment.country else None
    regions = dict(db.session.execute(select(Country.code, Country.region)).all())
    region_scores: dict[str, list[float]] = defaultdict(list)
    all_scores: dict[str, list[float]] = defaultdict(list)
    region_countries, all_countries = set(), set()
    for other, result in _latest_results(assessment.cycle):
        if other.country_code == assessment.country_code:
            continue
        all_countries.add(other.country_code)
        in_region = regions.get(other.country_code) == region
        if in_region:
            region_countries.add(other.country_code)
        for dim_id in dimension_ids:
            d = (result.profile.get("dimensions") or {}).get(dim_id) or {}
            if d.get("level") is None or d.get("score") is None:
                continue
            all_scores[dim_id].append(float(d["score"]))
            if in_region:
                region_scores[dim_id].append(float(d["score"]))
    region_dims, all_dims = {}, {}
    for dim_id in dimension_ids:
        r, a = region_scores[dim_id], all_scores[dim_id]
        region_dims[dim_id] = summarise(r) if len(r) >= MIN_COUNTRIES else None
        outside = len(a) - len(r)
        all_ok = len(a) >= MIN_COUNTRIES and not (
            region_dims[dim_id] is not None and 0 < outside < MIN_COUNTRIES
        )
        all_dims[dim_id] = summarise(a) if all_ok else None
    return {
        "region": region,
        "groups": [
            {"key": "region", "count": len(region_countries), "dimensions": region_dims},
            {"key": "all", "count": len(all_countries), "dimensions": all_dims},
        ],
        "min_countries": MIN_COUNTRIES,
    }


def secretariat_overview() -> dict:
    """For the secretariat: per UN region, how many countries submitted and the median level per
    dimension of each country's most recent submitted assessment (opted in or not): a country that
    submitted in several cycles counts once, with its latest."""
    regions = dict(db.session.execute(select(Country.code, Country.region)).all())
    levels: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[str, set] = defaultdict(set)
    latest: dict[str, tuple[Assessment, Result]] = {}
    for a, result in sorted(_latest_results(None, opted_in_only=False), key=lambda row: row[0].cycle):
        latest[a.country_code] = (a, result)  # cycles sort as their years: the last one stays
    for a, result in latest.values():
        region = regions.get(a.country_code, "")
        counts[region].add(a.country_code)
        for dim_id, d in (result.profile.get("dimensions") or {}).items():
            if d.get("level") is not None:
                levels[region][dim_id].append(int(d["level"]))
    out = {}
    for region, dims in levels.items():
        out[region] = {
            "count": len(counts[region]),
            "median_levels": {k: statistics.median(v) for k, v in dims.items()},
        }
    for region, codes in counts.items():
        out.setdefault(region, {"count": len(codes), "median_levels": {}})
    return out
