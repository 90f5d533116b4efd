"""webinars: archive services: seasons, sessions, per-language text, recordings, captions, chapters
and slides. Publishing (registry, search index, followers' notices) lives in :mod:`webinars.publishing`
and is re-exported here; Q&A in :mod:`webinars.qa`; registrations and reminders in
:mod:`webinars.registrations`; attendance and watching in :mod:`webinars.tracking`.

Services take explicit arguments, never touch the request, and only flush; the caller commits once.
Refused input raises :class:`webinars.errors.WebinarError` with a translated reason.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from lms.db import db
from lms.models import User, audit
from lms.registry import withdraw_resource
from webinars import captions as cap
from webinars import media
from webinars.errors import WebinarError
from webinars.models import (
    Attachment,
    CaptionTrack,
    Chapter,
    Recording,
    Season,
    Series,
    WebinarSession,
)  # fmt: skip
from webinars.publishing import (  # noqa: F401  (publishing is part of the services API)
    content_changed,
    is_following,
    notify_recording_available,
    publish_session,
    reindex,
    session_url,
    set_following,
    sync_registry,
    unpublish_session,
)  # fmt: skip
from webinars.settings import setting
from webinars.validation import (
    SLUG_RE,
    aware,
    check_external_url,
    check_language,
    clean_texts,
    parse_articles,
    slugify,
    unique_slug,
)  # fmt: skip


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
    speakers: list[dict] | None = None,
    articles=(),
    languages=(),
    session: WebinarSession | None = None,
    slug: str | None = None,
) -> WebinarSession:
    """Create or update a session; ``title``/``description`` are in ``source_language``. The ``actor``
    who creates a session becomes its owner."""
    check_language(source_language)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise WebinarError(_("The title is required (at most 200 characters)."))
    aware(start_dt, _("start time"))
    aware(second_start_dt, _("second run"))
    if start_dt is None:
        raise WebinarError(_("The start time is required."))
    if second_start_dt is not None and second_start_dt <= start_dt:
        raise WebinarError(_("The second run must start after the first."))
    if not 5 <= int(duration_min or 0) <= 600:
        raise WebinarError(_("The duration must be between 5 and 600 minutes."))
    langs = sorted({check_language(code) for code in languages} | {source_language})
    clean_speakers = []
    for sp in speakers or []:
        name = (sp.get("name") or "").strip()[:200]
        if name:
            clean_speakers.append({"name": name, "affiliation": (sp.get("affiliation") or "").strip()[:200]})
    if session is None:
        wanted = slug or slugify(title, 100) or "session"
        if slug and not SLUG_RE.match(slug):
            raise WebinarError(_("A short name may only use lower-case letters, digits and hyphens."))
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
    session.start_dt = start_dt
    session.second_start_dt = second_start_dt
    session.duration_min = int(duration_min)
    session.speakers = clean_speakers
    session.articles = parse_articles(list(articles))
    session.languages = langs
    db.session.flush()
    audit(actor, "webinars.session.save", "webinars_session", session.uuid)
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


# --- recordings, captions, slides --------------------------------------------------------------------
def save_recording(
    actor: User | None,
    session: WebinarSession,
    *,
    language: str,
    kind: str,
    stream=None,
    filename: str | None = None,
    url: str | None = None,
) -> Recording:
    """Attach (or replace) the ``kind`` (video/audio) recording in ``language``: an uploaded file or
    an external URL."""
    check_language(language)
    if kind not in ("video", "audio"):
        raise WebinarError(_("A recording is a video or an audio-only rendition."))
    if (stream is None or not filename) == (not url):
        raise WebinarError(_("Upload a file or give an address (one of the two, not both)."))
    rec = db.session.scalar(select(Recording).filter_by(session_id=session.id, language=language, kind=kind))
    if url:
        url = check_external_url(url)
        stored = None
    else:
        stored = media.store_upload(
            stream, filename, kind, setting("WEBINARS_MAX_MEDIA_MB") * 1024 * 1024, db.session()
        )
    if rec is None:
        rec = Recording(session=session, language=language, kind=kind)
        db.session.add(rec)
    else:
        media.delete_on_commit(db.session(), rec.stored_name)
    rec.stored_name = stored.stored_name if stored else None
    rec.original_name = stored.original_name if stored else None
    rec.content_type = stored.content_type if stored else None
    rec.size_bytes = stored.size_bytes if stored else None
    rec.external_url = url or None
    db.session.flush()
    audit(actor, "webinars.recording.save", "webinars_session", session.uuid, language=language, kind=kind)
    if session.is_published:
        notify_recording_available(session)
        sync_registry(session)
    return rec


def delete_recording(actor: User | None, rec: Recording) -> None:
    session = rec.session
    media.delete_on_commit(db.session(), rec.stored_name)
    db.session.delete(rec)
    db.session.flush()
    audit(actor, "webinars.recording.delete", "webinars_session", session.uuid, language=rec.language)


def save_captions(
    actor: User | None, session: WebinarSession, *, language: str, data: bytes, filename: str
) -> CaptionTrack:
    """Validate and store captions (WebVTT, or SRT converted). Raises with the bad lines."""
    check_language(language)
    vtt_text, cues = cap.parse_captions(data, filename, max_bytes=setting("WEBINARS_MAX_CAPTION_KB") * 1024)
    track = db.session.scalar(select(CaptionTrack).filter_by(session_id=session.id, language=language))
    if track is None:
        track = CaptionTrack(session=session, language=language)
        db.session.add(track)
    track.vtt = vtt_text
    track.cue_count = len(cues)
    db.session.flush()
    audit(
        actor, "webinars.captions.save", "webinars_session", session.uuid, language=language, cues=len(cues)
    )
    content_changed(session)
    return track


def delete_captions(actor: User | None, track: CaptionTrack) -> None:
    session = track.session
    db.session.delete(track)
    db.session.flush()
    audit(actor, "webinars.captions.delete", "webinars_session", session.uuid, language=track.language)
    content_changed(session)


def save_attachment(
    actor: User | None,
    session: WebinarSession,
    *,
    title: str,
    stream,
    filename: str,
    language: str | None = None,
) -> Attachment:
    if language:
        check_language(language)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise WebinarError(_("Give the file a title (at most 200 characters)."))
    stored = media.store_upload(
        stream, filename, "document", setting("WEBINARS_MAX_SLIDES_MB") * 1024 * 1024, db.session()
    )
    att = Attachment(
        session=session,
        language=language or None,
        title=title,
        stored_name=stored.stored_name,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size_bytes=stored.size_bytes,
    )
    db.session.add(att)
    db.session.flush()
    audit(actor, "webinars.attachment.save", "webinars_session", session.uuid, title=title)
    return att


def delete_attachment(actor: User | None, att: Attachment) -> None:
    media.delete_on_commit(db.session(), att.stored_name)
    db.session.delete(att)
    db.session.flush()
    audit(actor, "webinars.attachment.delete", "webinars_session", att.session.uuid, title=att.title)


# --- chapters ----------------------------------------------------------------------------------------
def save_chapter(
    actor: User | None,
    session: WebinarSession,
    *,
    start_s: int,
    titles: dict,
    articles=(),
    chapter: Chapter | None = None,
) -> Chapter:
    titles = clean_texts(titles, 200)
    if not titles.get(session.source_language):
        raise WebinarError(_("Give the chapter a title in the session's source language."))
    if start_s is None or not 0 <= int(start_s) < session.duration_min * 60:
        raise WebinarError(
            _(
                "The chapter must start within the session (0 to %(max)s seconds).",
                max=session.duration_min * 60 - 1,
            )
        )
    clash = next((c for c in session.chapters if c.start_s == int(start_s) and c is not chapter), None)
    if clash is not None:
        raise WebinarError(_("Another chapter already starts at that moment."))
    if chapter is None:
        chapter = Chapter(session=session)
        db.session.add(chapter)
    chapter.start_s = int(start_s)
    chapter.titles = titles
    chapter.articles = parse_articles(list(articles))
    db.session.flush()
    db.session.expire(session, ["chapters"])
    audit(actor, "webinars.chapter.save", "webinars_session", session.uuid, chapter=chapter.uuid)
    content_changed(session)
    return chapter


def delete_chapter(actor: User | None, chapter: Chapter) -> None:
    session = chapter.session
    withdraw_resource("webinar_chapter", chapter.uuid)
    db.session.delete(chapter)
    db.session.flush()
    db.session.expire(session, ["chapters"])
    audit(actor, "webinars.chapter.delete", "webinars_session", session.uuid, chapter=chapter.uuid)
    content_changed(session)


def chapters_track(session: WebinarSession, lang: str) -> str:
    pairs = [(c.start_s, c.title(lang)) for c in session.chapters]
    return cap.chapters_vtt(pairs, session.duration_min * 60)
