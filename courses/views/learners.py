"""Trainers: the learners of a course, with their progress (who learns what)."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from courses.models import Certificate, Enrolment
from courses.services import learning
from courses.services.publishing import published_view
from courses.views import bp
from courses.views.common import author_course_or_404, lang
from lms.auth import trainer_required
from lms.db import db


@bp.get("/manage/<slug>/learners")
@trainer_required
def learners(slug):
    course = author_course_or_404(slug)
    view = published_view(course, lang())
    rows = db.session.scalars(
        select(Enrolment)
        .filter_by(course_id=course.id)
        .options(selectinload(Enrolment.user))
        .order_by(Enrolment.enrolled_dt.desc())
        .limit(1000)
    ).all()
    certified = set(db.session.scalars(select(Certificate.enrolment_id).filter_by(course_id=course.id)))
    done = learning.percents([(e, view) for e in rows]) if view else {}
    entries = [(e, done.get(e.id, 0), e.id in certified) for e in rows]
    return render_template("courses/manage/learners.html", course=course, entries=entries)
