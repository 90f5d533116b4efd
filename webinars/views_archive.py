"""webinars: the archive (``/webinars/``): the published sessions, newest first, grouped by season,
filtered by season, Convention article and language, 20 to a page; the Previous and Next links keep
the filters (:mod:`webinars.browse` finds them)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from lms.db import db
from lms.i18n import current_language
from webinars.articles import article_choices
from webinars.browse import archive_page
from webinars.forms import ArchiveFilterForm, SearchForm, options
from webinars.models import Season, WebinarSession
from webinars.views import bp


@bp.get("/")
def archive():
    form = ArchiveFilterForm(request.args)
    seasons = db.session.scalars(select(Season).order_by(Season.number.desc())).all()
    lang = current_language()
    form.season.choices = options([("", _("All seasons"))] + [(s.slug, s.title(lang)) for s in seasons])
    form.article.choices = options([("", _("All articles"))] + article_choices())
    season_slug, article, language = form.season.data or "", form.article.data or "", form.language.data or ""
    season_id = next((s.id for s in seasons if s.slug == season_slug), 0) if season_slug else None
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    pagination = archive_page(season_id, article, language, page)
    args = {k: v for k, v in (("season", season_slug), ("article", article), ("language", language)) if v}
    if page > max(pagination.pages, 1):
        # A page past the end (fewer sessions now, or an old link): the last page that exists.
        return redirect(
            url_for("webinars.archive", page=pagination.pages if pagination.pages > 1 else None, **args)
        )
    grouped: dict[int, list[WebinarSession]] = {}
    for s in pagination.items:
        grouped.setdefault(s.season_id, []).append(s)
    return render_template(
        "webinars/archive.html",
        form=form,
        groups=[(season, grouped[season.id]) for season in seasons if season.id in grouped],
        pagination=pagination,
        args=args,
        search_form=SearchForm(),
        filtered=bool(args),
    )
