"""webinars: what a session is made of: recordings (per language, video or audio-only, uploaded or
external), captions, slides and chapters. Services flush only; refused input raises
:class:`webinars.errors.WebinarError`."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from lms.db import db
from lms.models import User, audit
from lms.registry import withdraw_resource
from webinars import captions as cap
from webinars import media
from webinars.errors import WebinarError
from webinars.models import Attachment, CaptionTrack, Chapter, Recording, WebinarSession
from webinars.publishing import content_changed, notify_recording_available, sync_registry
from webinars.settings import setting
from webinars.validation import check_external_url, check_language, clean_texts, parse_articles


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
    # A flushed delete stays in the loaded collection: reload it, or the registry still lists the language.
    db.session.expire(session, ["recordings"])
    audit(actor, "webinars.recording.delete", "webinars_session", session.uuid, language=rec.language)
    if session.is_published:
        sync_registry(session)


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
    db.session.expire(session, ["captions"])
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
