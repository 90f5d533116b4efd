"""webinars: a season's editor (its owner and admins): number, source language, title and description,
and on the same page its title and description in the other languages (as a session's management
page has them). A refused form is shown again with every reason and what was typed (status 400)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth import trainer_required
from lms.db import db
from webinars import services
from webinars.errors import WebinarError
from webinars.forms import SeasonForm, TextForm
from webinars.models import Season
from webinars.permissions import require_edit_season
from webinars.views import bp
from webinars.views_author import show_problems, text_form


def _season(slug: str) -> Season:
    """The season named by ``slug``, when the current user may edit it (404 / 403 otherwise)."""
    season = db.session.scalar(select(Season).where(Season.slug == slug))
    if season is None:
        abort(404)
    require_edit_season(current_user, season)
    return season


def _saved_form(season: Season | None) -> SeasonForm:
    """The season's form as saved (a new season's empty), whatever was posted."""
    form = SeasonForm(formdata=None)
    if season is not None:
        src = season.source_language
        form.number.data = season.number
        form.source_language.data = src
        form.title.data = season.titles.get(src, "")
        form.description.data = season.descriptions.get(src, "")
    return form


def _page(season: Season | None, form: SeasonForm, texts: TextForm | None = None, error=None, status=200):
    if season is not None and texts is None:
        texts = text_form(season)
    return render_template(
        "webinars/manage/season_form.html", form=form, texts=texts, season=season, error=error
    ), status


@bp.route("/manage/seasons/new", methods=["GET", "POST"])
@trainer_required
def new_season():
    return _season_form(None)


@bp.route("/manage/seasons/<slug>/edit", methods=["GET", "POST"])
@trainer_required
def edit_season(slug: str):
    return _season_form(_season(slug))


def _season_form(season: Season | None):
    if request.method == "GET":
        return _page(season, _saved_form(season))
    form = SeasonForm()
    error = None
    # The service checks what the form's own validators do not (the source language, a number
    # already taken): both are reported together, each at its field.
    values = dict(
        season=season,
        number=form.number.data,
        source_language=form.source_language.data,
        title=form.title.data,
    )
    if form.validate():
        try:
            # The form edits no dates: saving it keeps the season's.
            services.save_season(
                current_user,
                description=form.description.data or "",
                starts_on_dt=season.starts_on_dt if season else None,
                ends_on_dt=season.ends_on_dt if season else None,
                **values,
            )
        except WebinarError as exc:
            db.session.rollback()
            error = show_problems(form, exc.problems)
        else:
            db.session.commit()
            flash(_("The season was saved."), "success")
            return redirect(url_for("webinars.manage"), code=303)
    elif "csrf_token" not in form.errors:  # an expired or forged form is not looked at further
        error = show_problems(form, services.season_problems(**values), beside=set(form.errors))
    return _page(season, form, error=error, status=400)


@bp.post("/manage/seasons/<slug>/text")
@trainer_required
def season_text(slug: str):
    season = _season(slug)
    texts = TextForm(prefix="text")
    if not texts.validate_on_submit():
        error = WebinarError(_("Please correct the form below."))
        return _page(season, _saved_form(season), texts, error, 400)
    try:
        services.set_season_text(
            current_user, season, texts.language.data, texts.title.data, texts.description.data
        )
    except WebinarError as exc:
        db.session.rollback()
        return _page(season, _saved_form(season), texts, exc, 400)
    db.session.commit()
    flash(_("The translation was saved."), "success")
    return redirect(
        url_for("webinars.edit_season", slug=slug, lang=texts.language.data) + "#translations", 303
    )
