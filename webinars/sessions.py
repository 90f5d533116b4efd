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
    clean_texts,
    parse_articles,
    parse_languages,
    slugify,
    unique_slug,
)


# --- series and seasons ------------------------------------------------------------------------------
def ensure_series(slug: str = "minamata-online", titles: dict | None = None) -> Series:
    series = db.session.scalar(select(Series).where(Series.slug == slug))
    if series is None:
        series = Series(slug=slug, titles=titles or {"en": "Minamata Online"})
        db.session.add(series)
        db.session.flush()
    return series


def save_season(
    actor: User | None,
    *,
    number: int,
    titles: dict,
    descriptions: dict | None = None,
    season: Season | None = None,
    series: Series | None = None,
    starts_on_dt: datetime | None = None,
    ends_on_dt: datetime | None = None,
) -> Season:
    """Create (``season=None``, owned by ``actor``) or update a season."""
    titles = clean_texts(titles, 200)
    if not titles.get("en"):
        raise WebinarError(_("Give the season an English title."))
    if number is None or not 1 <= int(number) <= 99:
        raise WebinarError(_("The season number must be between 1 and 99."))
    series = series or (season.series if season else ensure_series())
    clash = db.session.scalar(
        select(Season).where(Season.series_id == series.id, Season.number == int(number))
    )
    if clash is not None and clash is not season:
        raise WebinarError(_("Season %(n)s already exists.", n=number))
    if season is None:
        season = Season(series=series, slug=unique_slug(Season, f"season-{int(number)}"))
        season.owner_id = actor.id if actor is not None else None
        db.session.add(season)
    season.number = int(number)
    season.titles = titles
    season.descriptions = clean_texts(descriptions or {}, 5000)
    season.starts_on_dt = aware(starts_on_dt, _("start date"))
    season.ends_on_dt = aware(ends_on_dt, _("end date"))
    db.session.flush()
    audit(actor, "webinars.season.save", "webinars_season", season.uuid)
    return season


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
    session.source_language = source_language
    session.titles = {**(session.titles or {}), source_language: title}
    descriptions = dict(session.descriptions or {})
    if description.strip():
        descriptions[source_language] = description.strip()[:10000]
    else:
        descriptions.pop(source_language, None)
    session.descriptions = descriptions
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
    check_language(lang)
    title, description = (title or "").strip(), (description or "").strip()
    if len(title) > 200 or len(description) > 10000:
        raise WebinarError(_("The title has at most 200 characters and the description 10,000."))
    titles, descriptions = dict(session.titles or {}), dict(session.descriptions or {})
    if not title:
        if lang == session.source_language:
            raise WebinarError(_("The source language's title cannot be removed."))
        titles.pop(lang, None)
        descriptions.pop(lang, None)
    else:
        titles[lang] = title
        if description:
            descriptions[lang] = description
        else:
            descriptions.pop(lang, None)
    session.titles, session.descriptions = titles, descriptions
    db.session.flush()
    audit(actor, "webinars.session.text", "webinars_session", session.uuid, language=lang)
    content_changed(session)
