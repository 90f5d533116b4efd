"""A version's summary in the version history names the languages it translated or updated: a version
that only adds a translation changes no item (item hashes follow the source language)."""

from __future__ import annotations

from sqlalchemy import select

from lms.db import db
from tests.courses.conftest import build_course


def _translate(trainer, course, language, suffix=""):
    """A complete translation of the course, its unit and its two lessons (4 parts)."""
    from courses.services.translation import save_translation

    save_translation(trainer, course, course.uuid, language, {"title": f"Курс{suffix}", "summary": "Кратко"})
    unit = course.units[0]
    save_translation(trainer, course, unit.uuid, language, {"title": f"Начало{suffix}"})
    for item in unit.items:
        if item.kind == "lesson":
            save_translation(
                trainer, course, item.uuid, language, {"title": f"Урок{suffix}", "body": "Текст."}
            )
    db.session.commit()


def test_a_translation_only_version_says_which_language_it_added(client, trainer, login):
    from courses.models import CourseVersion
    from courses.services import publishing

    course = build_course(trainer, slug="basics")
    _translate(trainer, course, "ru")
    publishing.publish(trainer, course)
    db.session.commit()
    v2 = db.session.scalar(select(CourseVersion).filter_by(course_id=course.id, number=2))
    assert (v2.changes["added"], v2.changes["changed"], v2.changes["removed"]) == ([], [], [])
    assert v2.changes["languages"] == {"ru": {"translated": 4, "updated": 0}}
    # Updating one part's translation and adding French to one part.
    _translate(trainer, course, "ru", suffix=" 2")  # course, unit and both lessons get a new title
    from courses.services.translation import save_translation

    save_translation(trainer, course, course.units[0].uuid, "fr", {"title": "Premiers pas"})
    db.session.commit()
    publishing.publish(trainer, course)
    db.session.commit()
    v3 = db.session.scalar(select(CourseVersion).filter_by(course_id=course.id, number=3))
    assert v3.changes["languages"] == {
        "fr": {"translated": 1, "updated": 0},
        "ru": {"translated": 0, "updated": 4},
    }
    login(trainer)
    html = client.get("/courses/manage/basics").get_data(as_text=True)
    assert "0 added, 0 changed, 0 removed<br>Russian: 4 parts translated</td>" in html
    assert "<br>French: 1 part translated<br>Russian: 4 translated parts updated</td>" in html
    # Version 1 (no translation) says nothing more.
    assert "0 removed</td>" in html


def test_older_versions_without_language_changes_still_show(client, trainer, login):
    from courses.models import CourseVersion

    course = build_course(trainer, slug="basics")
    v1 = db.session.scalar(select(CourseVersion).filter_by(course_id=course.id))
    v1.changes = {k: v for k, v in v1.changes.items() if k != "languages"}
    db.session.commit()
    login(trainer)
    resp = client.get("/courses/manage/basics")
    assert resp.status_code == 200 and "removed</td>" in resp.get_data(as_text=True)
