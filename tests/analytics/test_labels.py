"""Labels of the dashboards' values: readiness dimensions as the questionnaire names them."""

from __future__ import annotations

from pathlib import Path

import yaml

from analytics.labels import DIMENSION_TITLES

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "readiness" / "questionnaires"


def newest_questionnaire() -> dict:
    """The newest digital-readiness questionnaire shipped, read as a file (analytics imports no plugin)."""
    files = sorted(
        QUESTIONNAIRES.glob("digital-readiness-*.yaml"),
        key=lambda p: tuple(int(n) for n in p.stem.rsplit("-", 1)[1].split(".")),
    )
    return yaml.safe_load(files[-1].read_text(encoding="utf-8"))


def test_dimension_names_are_the_questionnaires():
    dims = newest_questionnaire()["dimensions"]
    assert list(DIMENSION_TITLES) == [d["id"] for d in dims]
    for d in dims:
        assert DIMENSION_TITLES[d["id"]] == d["title"], d["id"]


def test_readiness_levels_list_the_dimensions_in_the_questionnaires_order(
    client, as_owner, add_statements, rollup
):
    levels = {dim: 3 for dim in reversed(list(DIMENSION_TITLES))}
    add_statements(
        [
            dict(
                verb="submitted",
                activity="readiness/q1",
                actor=f"c{i}",
                country=cc,
                result={"extensions": {"http://lms.test/xapi/extensions/levels": levels}},
            )
            for i, cc in enumerate(["SN", "NG", "KE", "GH", "EG"])
        ]
    )
    rollup()
    as_owner()
    rows = client.get("/analytics/api/v1/dashboards/readiness").get_json()["tables"]["levels"]["rows"]
    assert [r[1] for r in rows if r[0] == "africa"] == list(DIMENSION_TITLES)
