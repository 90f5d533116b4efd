"""``minamata-lms readiness sync`` and ``rescore`` (``validate`` is in test_questionnaire)."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.db import db
from lms.registry import get_resource
from readiness import results
from readiness.models import QuestionnaireVersion, Result, RuleSetVersion
from readiness.scoring import SCORING_VERSION
from tests.readiness.conftest import full_answers, submit


def test_sync_stores_the_shipped_versions_and_publishes_the_services(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["readiness", "sync"])
    assert result.exit_code == 0, result.output
    assert "questionnaire digital-readiness 2025.1; rules 2025.1" in result.output
    assert runner.invoke(args=["readiness", "sync"]).exit_code == 0  # idempotent
    assert db.session.scalar(select(func.count(QuestionnaireVersion.id))) == 1
    assert db.session.scalar(select(func.count(RuleSetVersion.id))) == 1
    service = get_resource("advisory", "readiness-data-clinic")
    assert service.plugin == "readiness" and service.url == "/readiness/services#data-clinic"
    assert service.titles["fr"] == "Atelier de gestion des données"


def test_rescore_adds_results_only_when_versions_change(
    app, assessment, coordinator, questionnaire, monkeypatch
):
    submit(assessment, coordinator, full_answers(questionnaire, 2))
    runner = app.test_cli_runner()
    assert "0 assessment(s) re-scored" in runner.invoke(args=["readiness", "rescore"]).output
    monkeypatch.setattr(results, "SCORING_VERSION", "2.0")
    assert "1 assessment(s) re-scored" in runner.invoke(args=["readiness", "rescore"]).output
    assert "0 assessment(s) re-scored" in runner.invoke(args=["readiness", "rescore"]).output
    versions = db.session.scalars(select(Result.scoring_version).order_by(Result.id)).all()
    assert versions == [SCORING_VERSION, "2.0"]
