"""Helpers shared by the courses views."""

from __future__ import annotations

from flask import abort, flash
from flask_login import current_user
from sqlalchemy import select

from courses.models import Course
from courses.permissions import can_edit, can_see_course, is_author
from lms.db import db
from lms.i18n import current_language


def lang() -> str:
    return current_language()


def course_or_404(slug: str) -> Course:
    course = db.session.scalar(select(Course).filter_by(slug=slug))
    if course is None:
        abort(404)
    return course


def visible_course_or_404(slug: str) -> Course:
    course = course_or_404(slug)
    if not can_see_course(current_user, course) or course.published_version is None:
        abort(404)
    return course


def author_course_or_404(slug: str) -> Course:
    """The course, for its team and admins only (403 for everyone else, 404 when unknown)."""
    if not is_author(current_user):
        abort(403)
    course = course_or_404(slug)
    if not can_edit(current_user, course):
        abort(403)
    return course


def flash_error(exc) -> None:
    flash(str(exc.message), "error")
    for detail in getattr(exc, "errors", []) or []:
        flash(
            str(detail) if not isinstance(detail, tuple) else " — ".join(str(p) for p in detail if p != ""),
            "error",
        )


def form_values(form) -> dict[str, list[str]]:
    """A request's form as a plain dict of lists (what services accept)."""
    return {key: form.getlist(key) for key in form.keys()}


def refused(message, status: int = 400):
    """A refusal page that says why (e.g. a tampered quiz submission)."""
    from flask import render_template

    return render_template("courses/refused.html", message=message), status
