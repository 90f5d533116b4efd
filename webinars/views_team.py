"""webinars: the team page of a session: its owner and co-hosts. The team sees the page; the owner
(and admins) add a trainer by e-mail address and remove co-hosts. A refused addition shows the page
again with the reason (status 400) and changes nothing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth import trainer_required
from lms.db import db
from webinars import team
from webinars.errors import WebinarError
from webinars.forms import ActionForm, CohostForm
from webinars.permissions import can_manage_team, require_manage_team
from webinars.views import bp
from webinars.views_author import _session


def _team_page(session, form: CohostForm, error: WebinarError | None = None, status: int = 200):
    return render_template(
        "webinars/manage/team.html",
        session=session,
        form=form,
        action_form=ActionForm(),
        error=error,
        can_change=can_manage_team(current_user, session),
    ), status


@bp.route("/manage/s/<slug>/team", methods=["GET", "POST"])
@trainer_required
def team_page(slug: str):
    session = _session(slug)
    form = CohostForm()
    if form.is_submitted():
        require_manage_team(current_user, session)
        if not form.validate():
            return _team_page(session, form, WebinarError(_("Please correct the form below.")), 400)
        try:
            row = team.add_cohost(current_user, session, form.email.data)
        except WebinarError as exc:
            db.session.rollback()
            return _team_page(_session(slug), form, exc, 400)
        name = row.user.name
        db.session.commit()
        flash(_("%(name)s now co-hosts this session.", name=name), "success")
        return redirect(url_for("webinars.team_page", slug=slug), code=303)
    return _team_page(session, form)


@bp.post("/manage/s/<slug>/team/<user_uuid>/remove")
@trainer_required
def remove_cohost(slug: str, user_uuid: str):
    session = _session(slug)
    require_manage_team(current_user, session)
    if not ActionForm().validate_on_submit():
        abort(400)
    user = team.cohost_for(session, user_uuid)
    if user is None:
        abort(404)
    team.remove_cohost(current_user, session, user)
    db.session.commit()
    flash(_("%(name)s no longer co-hosts this session.", name=user.name), "success")
    return redirect(url_for("webinars.team_page", slug=slug), code=303)
