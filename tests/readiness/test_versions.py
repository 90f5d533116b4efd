"""A new questionnaire version shipped with a release: stored on first use, used by new assessments,
old assessments keep theirs, and the trend maps across the versions."""

from __future__ import annotations

import pytest

from lms.db import db
from readiness import catalog, results, services
from readiness import questionnaire_file as qfile
from tests.readiness.conftest import full_answers, submit

NEW_ITEM = """      - id: "2.6"
        type: yesno
        text:
          en: Is the next report's timetable agreed with all contributing institutions?
          fr: Le calendrier du prochain rapport est-il convenu avec toutes les institutions contributrices ?
          es: ¿Se ha acordado el calendario del próximo informe con todas las instituciones participantes?
"""


def test_new_version_is_used_for_new_assessments_and_the_trend_maps_it(
    coordinator, questionnaire, monkeypatch, tmp_path
):
    earlier = services.start_assessment(coordinator, cycle="2024", language="fr")
    assert earlier.questionnaire_version.version == "2025.1"
    submit(earlier, coordinator, full_answers(questionnaire, 1))

    original = qfile.shipped_files()[0]
    text = original.read_text(encoding="utf-8").replace(
        'version: "2025.1"', 'version: "2027.1"\nprevious:\n  version: "2025.1"\n  items: {"2.6": null}', 1
    )
    text = text.replace("  - id: exchange\n", NEW_ITEM + "\n  - id: exchange\n", 1)
    path = tmp_path / "digital-readiness-2027.1.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(qfile, "shipped_files", lambda: [original, path])

    current = services.start_assessment(coordinator, cycle="2026", language="fr")
    db.session.commit()
    assert current.questionnaire_version.version == "2027.1"
    assert earlier.questionnaire_version.version == "2025.1"  # unchanged
    new_q = services.questionnaire_for(current)
    assert "2.6" in new_q.items and "2.6" not in services.questionnaire_for(earlier).items
    result = submit(current, coordinator, full_answers(new_q, 3))
    trend = results.trend(current, result.profile)
    assert trend["cycle"] == "2024" and trend["questionnaire_version"] == "2025.1"
    assert trend["new_items"] == ["2.6"]
    assert trend["dimensions"]["reporting"]["delta"] > 0
    # The stored copy of 2027.1 is immutable from now on.
    changed = qfile.parse_text(text.replace("Is the next report's timetable", "Is the timetable"))
    with pytest.raises(catalog.CatalogError):
        catalog.store_questionnaire(changed)
