"""Helpers shared by the courses views."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash, redirect, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from courses.models import Course
from courses.permissions import can_edit, can_see_course, is_author, may_see_answer_keys
from courses.services.errors import CourseError, InvalidFields, NothingAnswered, UnclearAnswer
from lms.db import db
from lms.i18n import current_language

T = TypeVar("T")

# Why a member of a kit's team does not reach its test (:func:`courses.permissions.may_see_answer_keys`).
TEST_CLOSED = _l(
    "You take part in a workshop of this kit (or of a copy of it) that is not over: its test questions "
    "and their answers, and its exercises' expected outcomes, stay closed to you until that workshop is "
    "over."
)


def test_closed(kit, back: str):
    """None when the signed-in member of the kit's team may read its test's answers and its exercises'
    expected outcomes, else a redirect to ``back`` with the reason: they take part in a workshop of the
    kit (or of a copy of it) that is not over (:func:`~courses.permissions.may_see_answer_keys`)."""
    if may_see_answer_keys(current_user, kit):
        return None
    flash(str(TEST_CLOSED), "error")
    return redirect(back)


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


def refusal_field(form, exc: CourseError, default=None):
    """The field of ``form`` a refusal is about (the service names it in ``exc.field``), else
    ``default``: "the last day cannot be before the first day" belongs under the last day, not the title."""
    named = getattr(form, exc.field, None) if form is not None and exc.field else None
    return named if named is not None and hasattr(named, "errors") else default


def show_problems(form, problems, default=None, *, beside=()) -> None:
    """Show each ``(field, message)`` of a refusal under the field of ``form`` it names (else under
    ``default``, else as a flash message), keeping what was typed. Fields named in ``beside`` already
    show the form's own errors and keep them alone; the form's error summary lists them all."""
    for name, message in problems:
        named = getattr(form, name, None) if form is not None and name and name != "csrf_token" else None
        target = named if named is not None and hasattr(named, "errors") else default
        if target is None:
            flash(str(message), "error")
        elif target.name not in beside and str(message) not in target.errors:
            target.errors = [*target.errors, str(message)]


def validate_with(form, check: Callable[[], list]) -> bool:
    """``form.validate_on_submit()``; when the form's own validators refuse a submission, the service's
    checks of the same input (``check()``: its ``(field, reason)`` pairs, nothing written) are shown
    with them at their fields, so every mistake is named in one round trip. A form whose CSRF token
    fails is not checked further."""
    if form.validate_on_submit():
        return True
    if form.is_submitted() and "csrf_token" not in form.errors:
        show_problems(form, check(), beside=set(form.errors))
    return False


def attempt(
    action: Callable[[], T],
    success: str | Callable[[T], str] | None = None,
    *,
    field=None,
    form=None,
    refused: Callable[[], None] | None = None,
) -> bool:
    """Run one service call for a view: commit and flash ``success`` (a message, or one made from the
    call's result) when it works. When it raises :class:`CourseError`, roll back, show each reason
    (all of them for :class:`~courses.services.errors.InvalidFields`) on the ``form``'s field it
    names, else on ``field``, else as a flash message, and call ``refused`` (e.g. :func:`unspend_once`).
    True when the change was committed."""
    try:
        result = action()
    except CourseError as exc:
        db.session.rollback()
        if refused is not None:
            refused()
        if isinstance(exc, InvalidFields):
            show_problems(form, exc.problems, field)
            return False
        field = refusal_field(form, exc, field)
        if field is not None:
            field.errors.append(str(exc))
        else:
            flash_error(exc)
        return False
    db.session.commit()
    if success is not None:
        flash(success(result) if callable(success) else success, "success")
    return True


def form_values(form) -> dict[str, list[str]]:
    """A request's form as a plain dict of lists (what services accept)."""
    return {key: form.getlist(key) for key in form.keys()}


def unclear_status(exc: UnclearAnswer) -> int:
    """The status of a sheet shown again: a blank sheet is refused outright (400); answers to correct
    are a normal step (200)."""
    return 400 if isinstance(exc, NothingAnswered) else 200


def refused(message, status: int = 400):
    """A refusal page that says why (e.g. a tampered quiz submission)."""
    from flask import render_template

    return render_template("courses/refused.html", message=message), status


# One-time form tokens ---------------------------------------------------------------------------------
# A creation form carries a random hidden token; the session remembers the last tokens spent, so the same
# form sent twice (double click, back + resend, a retry on a slow link) creates one thing, not two. Only
# *spent* tokens are remembered: a form whose session has expired in the meantime still goes through, so a
# genuine first submission is never lost. (Two requests racing with the same session cookie can both pass:
# this guards against resubmission, it is not a lock.)
_SPENT = "courses_spent_forms"
_KEEP = 30


def arm_once(form) -> None:
    """Give a form with a ``once`` field a fresh token unless it already carries an unspent one."""
    if not form.once.data or form.once.data in session.get(_SPENT, []):
        form.once.data = secrets.token_urlsafe(16)


def spend_once(form) -> bool:
    """Spend the form's token: False when it was already spent (the form was sent before)."""
    token = form.once.data or ""
    spent = list(session.get(_SPENT, []))
    if token and token in spent:
        return False
    if token:
        session[_SPENT] = [*spent, token][-_KEEP:]
    return True


def unspend_once(form) -> None:
    """Give the token back after a refused submission, so the corrected form can be sent again."""
    token = form.once.data or ""
    spent = list(session.get(_SPENT, []))
    if token in spent:
        spent.remove(token)
        session[_SPENT] = spent


def flash_already_sent() -> None:
    """The note shown when a resubmitted creation form is ignored (nothing is created twice)."""
    flash(_("This form was already sent: nothing was added a second time."), "info")
