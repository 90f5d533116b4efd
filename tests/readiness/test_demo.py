"""Demo content: idempotent, France's team with two cycles, and enough countries for the benchmark."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.db import db


def test_seed_twice_changes_nothing_and_shows_trend_and_benchmark(app, countries):
    from lms.demo import seed
    from readiness import benchmark, results
    from readiness.models import Answer, Assessment, Result

    seed(app)
    db.session.commit()
    counts = [db.session.scalar(select(func.count(m.id))) for m in (Assessment, Answer, Result)]
    seed(app)
    db.session.commit()
    assert [db.session.scalar(select(func.count(m.id))) for m in (Assessment, Answer, Result)] == counts
    fr = db.session.scalar(select(Assessment).filter_by(country_code="FR", cycle="2026"))
    assert (
        fr.state == "submitted"
        and len(fr.members) == 2
        and fr.submitter.email == "camille.reporting@example.org"
    )
    earlier = db.session.scalar(select(Assessment).filter_by(country_code="FR", cycle="2024"))
    assert earlier.state == "acknowledged"
    result = results.latest_result(fr)
    assert results.trend(fr, result.profile)["cycle"] == "2024"
    region, everyone = benchmark.benchmark(fr, list(result.profile["dimensions"]))["groups"]
    assert region["count"] >= 5 and any(v is not None for v in region["dimensions"].values())
    assert any(v is not None for v in everyone["dimensions"].values())
    assert result.recommendations
