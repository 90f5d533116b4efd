"""webinars: the archive's list of published sessions, newest first, filtered by season, Convention
article and language, one page at a time.

The season and the languages a session really has (recordings, captions) are filtered in SQL. A
session's articles and its planned languages are JSON lists, which SQLite and PostgreSQL search
differently: they are matched in Python over those columns alone (ids and lists, no session is
loaded), and the page's query keeps the matching ids. The page's sessions come with their languages
(:func:`webinars.formatting.with_languages`): a page costs the same number of queries whatever the
number of sessions."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import exists, false, or_, select

from lms.config import LANGUAGES
from lms.db import db
from webinars.formatting import with_languages
from webinars.models import CaptionTrack, Chapter, Recording, WebinarSession

PER_PAGE = 20


def _with_article(conditions: list, article: int) -> list[int]:
    """Ids of the sessions matching ``conditions`` tagged with ``article``, or with a chapter that is."""
    rows = db.session.execute(select(WebinarSession.id, WebinarSession.articles).where(*conditions))
    ids = {sid for sid, articles in rows if article in (articles or [])}
    chapters = db.session.execute(
        select(Chapter.session_id, Chapter.articles).join(Chapter.session).where(*conditions)
    )
    ids.update(sid for sid, articles in chapters if article in (articles or []))
    return sorted(ids)


def _in_language(conditions: list, language: str):
    """A condition: the session has a recording or captions in ``language``, or, having neither yet (an
    upcoming session), is planned in it (as :func:`webinars.formatting.listed_languages` lists them)."""
    recorded = exists().where(Recording.session_id == WebinarSession.id)
    captioned = exists().where(CaptionTrack.session_id == WebinarSession.id)
    planned = db.session.execute(
        select(WebinarSession.id, WebinarSession.languages).where(*conditions, ~recorded, ~captioned)
    )
    return or_(
        recorded.where(Recording.language == language),
        captioned.where(CaptionTrack.language == language),
        WebinarSession.id.in_([sid for sid, languages in planned if language in (languages or [])]),
    )


def archive_page(season_id: int | None, article: str, language: str, page: int) -> Pagination:
    """One page (a Flask-SQLAlchemy ``Pagination``, ``PER_PAGE`` sessions) of the published sessions,
    newest first. ``season_id``: ``None`` for every season, ``0`` for none (an unknown season);
    ``article`` and ``language`` as given in the address, ignored when they are not an article
    number or a language of the site. A page past the end is empty."""
    conditions: list = [WebinarSession.is_published.is_(True)]
    if season_id is not None:
        conditions.append(WebinarSession.season_id == season_id if season_id else false())
    if language in LANGUAGES:
        conditions.append(_in_language(conditions, language))
    if article.isdigit() and len(article) < 7:
        conditions.append(WebinarSession.id.in_(_with_article(conditions, int(article))))
    stmt = (
        select(WebinarSession)
        .where(*conditions)
        .order_by(WebinarSession.start_dt.desc(), WebinarSession.id.desc())
        .options(*with_languages())
    )
    return db.paginate(stmt, page=page, per_page=PER_PAGE, error_out=False, count=True)
