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
