"""Account deletion and data export reach the readiness data through the core signals."""

from __future__ import annotations

from lms.db import db
from lms.signals import user_data_export, user_deleted
from readiness import services


def test_a_deleted_account_leaves_the_team_and_stops_being_submitter(assessment, coordinator, editor):
    services.set_submitter(assessment, coordinator, editor.id)
    services.save_section(assessment, editor, "reporting", [services.ItemInput("2.1", 3, comment="ours")])
    db.session.commit()
    user_deleted.send(editor, pseudonym="00000000-0000-0000-0000-000000000001")
    db.session.commit()
    db.session.expire_all()
    assert editor.id not in [m.user_id for m in assessment.members]
    assert assessment.submitter_id == coordinator.id
    assert services.answers_of(assessment)["2.1"].comment == "ours"  # the team's answer stays


def test_data_export_lists_what_the_user_wrote(assessment, coordinator, editor, reviewer):
    services.save_section(
        assessment, editor, "reporting", [services.ItemInput("2.3", "no", comment="one account")]
    )
    services.send_to_review(assessment, coordinator)
    services.add_note(assessment, reviewer, "Check with customs.", "reporting")
    db.session.commit()
    sections = dict(r for _f, r in user_data_export.send(editor) if r)
    data = sections["readiness"]
    assert data["answers_last_saved"][0] | {"saved": None} == {
        "assessment": assessment.uuid,
        "country": "FR",
        "cycle": "2026",
        "item": "2.3",
        "value": "no",
        "comment": "one account",
        "evidence_url": "",
        "saved": None,
    }
    assert data["team_memberships"][0]["role"] == "editor"
    notes = dict(r for _f, r in user_data_export.send(reviewer) if r)["readiness"]["notes"]
    assert notes[0]["text"] == "Check with customs."
    assert all(
        r is None for _f, r in user_data_export.send(coordinator) if _f.__module__ == "readiness.receivers"
    )
