"""webinars: the archive's structure: the series, its seasons, sessions and their per-language title and
description. Services flush only; refused input raises :class:`webinars.errors.WebinarError`."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from lms.db import db
from lms.models import User, audit
from webinars.errors import Problems, WebinarError
from webinars.models import Season, Series, WebinarSession
from webinars.publishing import content_changed
from webinars.registrations import notify_changed
from webinars.validation import (
    SLUG_RE,
    aware,
    check_external_url,
    check_language,
    parse_articles,
    parse_languages,
    slugify,
    unique_slug,
)

# --- series and seasons ------------------------------------------------------------------------------
SERIES = "minamata-online"


def ensure_series(slug: str = SERIES, titles: dict | None = None) -> Series:
    series = db.session.scalar(select(Series).where(Series.slug == slug))
    if series is None:
        series = Series(slug=slug, titles=titles or {"en": "Minamata Online"})
        db.session.add(series)
        db.session.flush()
    return series


def _clean_season(
    *, season: Season | None, series: Series | None, number, source_language: str, title: str
) -> dict:
    """The season's checked values; refuses with every problem of the input at once (each at its
    field), as a session's form does."""
    problems = Problems()
    problems.check("source_language", check_language, source_language)
    title = (title or "").strip()
    if not title or len(title) > 200:
        problems.add("title", _("The title is required (at most 200 characters)."))
    try:
        clean_number = int(number)
    except (TypeError, ValueError):
        clean_number = 0
    if not 1 <= clean_number <= 99:
        problems.add("number", _("The season number must be between 1 and 99."))
    elif series is not None:
        clash = db.session.scalar(
            select(Season).where(Season.series_id == series.id, Season.number == clean_number)
        )
        if clash is not None and clash is not season:
            problems.add("number", _("Season %(n)s already exists.", n=clean_number))
    problems.raise_any()
    return {"number": clean_number, "title": title}


def season_problems(
    *, season: Season | None = None, series: Series | None = None, **values
) -> list[tuple[str | None, str]]:
    """Every ``(field, reason)`` :func:`save_season` would refuse these values for (none: accepted),
    without saving anything: a form refused for other reasons reports these with them."""
    if series is None:  # the archive's series, unless it does not exist yet (then nothing clashes)
        series = season.series if season else db.session.scalar(select(Series).where(Series.slug == SERIES))
    try:
        _clean_season(season=season, series=series, **values)
    except WebinarError as exc:
        return exc.problems
    return []


def save_season(
    actor: User | None,
    *,
    number: int,
    title: str,
    description: str = "",
    source_language: str = "en",
    season: Season | None = None,
    series: Series | None = None,
    starts_on_dt: datetime | None = None,
    ends_on_dt: datetime | None = None,
) -> Season:
    """Create (``season=None``, owned by ``actor``) or update a season; ``title``/``description``
    (Markdown) are in ``source_language``, the other languages' are kept (:func:`set_season_text`
    writes them). Refused input raises one :class:`WebinarError` listing every problem."""
    series = series or (season.series if season else ensure_series())
    clean = _clean_season(
        season=season, series=series, number=number, source_language=source_language, title=title
    )
    starts_on_dt = aware(starts_on_dt, _("start date"))
    ends_on_dt = aware(ends_on_dt, _("end date"))
    if season is None:
        season = Season(series=series, slug=unique_slug(Season, f"season-{clean['number']}"))
        season.owner_id = actor.id if actor is not None else None
        db.session.add(season)
    season.number = clean["number"]
    _set_source_text(season, source_language, clean["title"], description)
    season.starts_on_dt = starts_on_dt
    season.ends_on_dt = ends_on_dt
    db.session.flush()
    audit(actor, "webinars.season.save", "webinars_season", season.uuid)
    return season


def set_season_text(actor: User | None, season: Season, lang: str, title: str, description: str) -> None:
    """The season's title and description in one language (empty title removes the translation)."""
    _set_text(season, lang, title, description)
    db.session.flush()
    audit(actor, "webinars.season.text", "webinars_season", season.uuid, language=lang)


# --- per-language texts (seasons and sessions) -------------------------------------------------------
def _set_source_text(
    item: Season | WebinarSession, source_language: str, title: str, description: str
) -> None:
    """``item``'s source language, and its (checked) title and description in it; the other
    languages' texts stay."""
    item.source_language = source_language
    item.titles = {**(item.titles or {}), source_language: title}
    descriptions = dict(item.descriptions or {})
    if (description or "").strip():
        descriptions[source_language] = description.strip()[:10000]
    else:
        descriptions.pop(source_language, None)
    item.descriptions = descriptions


def _set_text(item: Season | WebinarSession, lang: str, title: str, description: str) -> None:
    """``item``'s title and description in ``lang``: an empty title removes the translation, never the
    source language's title."""
    check_language(lang)
    title, description = (title or "").strip(), (description or "").strip()
    if len(title) > 200 or len(description) > 10000:
        raise WebinarError(_("The title has at most 200 characters and the description 10,000."))
    titles, descriptions = dict(item.titles or {}), dict(item.descriptions or {})
    if not title:
        if lang == item.source_language:
            raise WebinarError(_("The source language's title cannot be removed."))
        titles.pop(lang, None)
        descriptions.pop(lang, None)
    else:
        titles[lang] = title
        if description:
            descriptions[lang] = description
        else:
            descriptions.pop(lang, None)
    item.titles, item.descriptions = titles, descriptions


# --- sessions ----------------------------------------------------------------------------------------
def _clean_session(
    *,
    session: WebinarSession | None,
    title: str,
    start_dt: datetime | None,
    duration_min,
    source_language: str,
    second_start_dt: datetime | None,
    join_url: str,
    articles,
    languages,
    slug: str | None,
) -> dict:
    """The session's checked values; refuses with every problem of the input at once (each at its
    field), so an author corrects them all in one go."""
    problems = Problems()
    problems.check("source_language", check_language, source_language)
    title = (title or "").strip()
    if not title or len(title) > 200:
        problems.add("title", _("The title is required (at most 200 characters)."))
    start = problems.check("start", aware, start_dt, _("start time"))  # None: missing or refused
    second = problems.check("second_start", aware, second_start_dt, _("second run"))
    if start_dt is None:
        problems.add("start", _("The start time is required."))
    elif start is not None and second is not None and second <= start:
        problems.add("second_start", _("The second run must start after the first."))
    try:
        duration = int(duration_min or 0)
    except (TypeError, ValueError):
        duration = 0
    if not 5 <= duration <= 600:
        problems.add("duration_min", _("The duration must be between 5 and 600 minutes."))
    join_url = (join_url or "").strip()
    if join_url:
        problems.check("join_url", check_external_url, join_url)
    clean_articles = problems.check("articles", parse_articles, articles)
    langs = problems.check("languages", parse_languages, languages)
    if session is None and slug:
        if not SLUG_RE.match(slug):
            problems.add("slug", _("A short name may only use lower-case letters, digits and hyphens."))
        # A short name the author chose is the address they mean to announce: one already taken is
        # refused rather than silently given a suffix (only names made from the title get one).
        elif db.session.scalar(select(WebinarSession.id).where(WebinarSession.slug == slug)):
            problems.add("slug", _("Another session already uses the short name %(slug)s.", slug=slug))
    problems.raise_any()
    return {
        "title": title,
        "duration_min": duration,
        "join_url": join_url,
        "articles": clean_articles,
        "languages": sorted({*langs, source_language}),
    }


def session_problems(*, session: WebinarSession | None = None, **values) -> list[tuple[str | None, str]]:
    """Every ``(field, reason)`` :func:`save_session` would refuse these values for (none: accepted),
    without saving anything: a form refused for other reasons reports these with them."""
    try:
        _clean_session(session=session, **values)
    except WebinarError as exc:
        return exc.problems
    return []


def save_session(
    actor: User | None,
    *,
    season: Season,
    title: str,
    start_dt: datetime,
    duration_min: int,
    description: str = "",
    source_language: str = "en",
    second_start_dt: datetime | None = None,
    join_url: str = "",
    speakers: list[dict] | None = None,
    articles=(),
    languages=(),
    session: WebinarSession | None = None,
    slug: str | None = None,
) -> WebinarSession:
    """Create or update a session; ``title``/``description`` are in ``source_language``. The ``actor``
    who creates a session becomes its owner. ``join_url``: where registered people join it live
    (https; empty for none). ``articles`` and ``languages`` are lists or the text typed in the form
    ("4, 11"; "en, fr"). Refused input raises one :class:`WebinarError` listing every problem
    (``problems``) before anything is written."""
    clean = _clean_session(
        session=session,
        title=title,
        start_dt=start_dt,
        duration_min=duration_min,
        source_language=source_language,
        second_start_dt=second_start_dt,
        join_url=join_url,
        articles=articles,
        languages=languages,
        slug=slug,
    )
    title, join_url = clean["title"], clean["join_url"]
    clean_speakers = []
    for sp in speakers or []:
        name = (sp.get("name") or "").strip()[:200]
        if name:
            clean_speakers.append({"name": name, "affiliation": (sp.get("affiliation") or "").strip()[:200]})
    if session is None:
        wanted = slug or slugify(title, 100) or "session"
        session = WebinarSession(slug=unique_slug(WebinarSession, wanted))
        session.owner_id = actor.id if actor is not None else None
        db.session.add(session)
    session.season = season
    _set_source_text(session, source_language, title, description)
    old_runs, old_duration, old_join_url = session.runs(), session.duration_min, session.join_url
    session.start_dt = start_dt
    session.second_start_dt = second_start_dt
    session.duration_min = clean["duration_min"]
    session.join_url = join_url or None
    session.speakers = clean_speakers
    session.articles = clean["articles"]
    session.languages = clean["languages"]
    db.session.flush()
    audit(actor, "webinars.session.save", "webinars_session", session.uuid)
    if old_runs:
        notify_changed(session, old_runs, old_duration, old_join_url)
    content_changed(session)
    return session


def set_session_text(
    actor: User | None, session: WebinarSession, lang: str, title: str, description: str
) -> None:
    """The title and description in one language (empty title removes the translation)."""
    _set_text(session, lang, title, description)
    db.session.flush()
    audit(actor, "webinars.session.text", "webinars_session", session.uuid, language=lang)
    content_changed(session)
