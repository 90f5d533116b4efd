"""Team pages (owners and admins change the team; the team sees it) of courses, kits and workshops, and
the guard that keeps every ``/manage/<slug>/...`` course route to the course's team."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courses.forms import ActionForm
from courses.forms_team import ROLE_LABELS, TeamMemberForm
from courses.models import Course
from courses.permissions import can_edit, can_manage_team
from courses.services import teams
from courses.services.errors import CourseError
from courses.views import bp
from courses.views.common import author_course_or_404, flash_error
from courses.views.kits_manage import kit_or_404
from courses.views.workshops_manage import managed_workshop_or_404
from lms.auth import trainer_required
from lms.db import db


@bp.before_request
def _course_team_only():
    """Every route under ``/courses/manage/<slug>`` (including those of other modules, such as the
    xAPI package pages) belongs to the course's team: other trainers get 403 before the view runs.
    Anonymous visitors and unknown courses are left to the view (sign-in redirect, 404)."""
    rule = request.url_rule
    if rule is None or not current_user.is_authenticated:
        return None
    parts = rule.rule.split("/")
    if parts[2:4] != ["manage", "<slug>"]:
        return None
    course = db.session.scalar(select(Course).filter_by(slug=(request.view_args or {}).get("slug")))
    if course is not None and current_user.is_trainer and not can_edit(current_user, course):
        abort(403)
    return None


def _team_page(resource, *, title: str, back_url: str, add_url: str, remove_endpoint: str, **ids):
    form = TeamMemberForm()
    may_manage = can_manage_team(current_user, resource)
    if request.method == "POST":
        if not may_manage:
            abort(403)
        if form.validate_on_submit():
            try:
                row = teams.add_member(current_user, resource, email=form.email.data, role=form.role.data)
            except CourseError as exc:
                db.session.rollback()
                form.email.errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("%(name)s is in the team.", name=row.user.name), "success")
                return redirect(add_url)
    status = 400 if form.errors else 200
    return render_template(
        "courses/manage/team.html",
        title=title,
        members=teams.members(resource),
        form=form,
        action=ActionForm(),
        may_manage=may_manage,
        back_url=back_url,
        add_url=add_url,
        remove_endpoint=remove_endpoint,
        ids=ids,
        role_labels=ROLE_LABELS,
    ), status


def _remove(resource, user_id: int, back_url: str):
    if not can_manage_team(current_user, resource):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        teams.remove_member(current_user, resource, user_id)
    except CourseError as exc:
        db.session.rollback()
        flash_error(exc)
    else:
        db.session.commit()
        flash(_("The trainer is no longer in the team."), "success")
        if not can_edit(current_user, resource):  # they left the team themselves
            return redirect(
                url_for("courses.manage_kits" if teams.kind_of(resource) != "course" else "courses.manage")
            )
    return redirect(back_url)


class _TeamPages(NamedTuple):
    """How to reach one kind of resource; its endpoints are named ``courses.<kind>_team`` and
    ``courses.remove_<kind>_member`` (the three kinds share one view)."""

    load: Callable  # the resource from its URL key, 403/404 for outsiders
    key: str  # the URL argument naming the resource
    back: str  # the endpoint of the resource's own management page


_PAGES = {
    "course": _TeamPages(author_course_or_404, "slug", "courses.edit_course"),
    "kit": _TeamPages(kit_or_404, "slug", "courses.edit_kit"),
    "workshop": _TeamPages(managed_workshop_or_404, "workshop_uuid", "courses.manage_workshop"),
}


def _team_of(kind: str, key: str):
    pages = _PAGES[kind]
    resource = pages.load(key)
    ids = {pages.key: key}
    return _team_page(
        resource,
        title=teams.title_of(resource),
        back_url=url_for(pages.back, **ids),
        add_url=url_for(f"courses.{kind}_team", **ids),
        remove_endpoint=f"courses.remove_{kind}_member",
        **ids,
    )


def _remove_from(kind: str, key: str, user_id: int):
    pages = _PAGES[kind]
    return _remove(pages.load(key), user_id, url_for(f"courses.{kind}_team", **{pages.key: key}))


@bp.route("/manage/<slug>/team", methods=["GET", "POST"])
@trainer_required
def course_team(slug):
    return _team_of("course", slug)


@bp.post("/manage/<slug>/team/<int:user_id>/remove")
@trainer_required
def remove_course_member(slug, user_id):
    return _remove_from("course", slug, user_id)


@bp.route("/kits/manage/<slug>/team", methods=["GET", "POST"])
@trainer_required
def kit_team(slug):
    return _team_of("kit", slug)


@bp.post("/kits/manage/<slug>/team/<int:user_id>/remove")
@trainer_required
def remove_kit_member(slug, user_id):
    return _remove_from("kit", slug, user_id)


@bp.route("/workshops/<workshop_uuid>/team", methods=["GET", "POST"])
@trainer_required
def workshop_team(workshop_uuid):
    return _team_of("workshop", workshop_uuid)


@bp.post("/workshops/<workshop_uuid>/team/<int:user_id>/remove")
@trainer_required
def remove_workshop_member(workshop_uuid, user_id):
    return _remove_from("workshop", workshop_uuid, user_id)
