"""webinars: publishing: the registry of learning resources (sessions and chapters), the search index,
publish/unpublish, season followers and their "recording available" mails. Services flush only."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from lms.config import LANGUAGES
from lms.db import db, utcnow
from lms.mail import queue_mail
from lms.markdown import render_markdown
from lms.models import User, audit
from lms.registry import publish_resource, withdraw_resource
from webinars import captions as cap
from webinars import search
from webinars.errors import WebinarError
from webinars.formatting import listed_languages
from webinars.models import QAItem, RecordingNotice, Season, SeasonFollower, WebinarSession, pick_text


# --- publishing --------------------------------------------------------------------------------------
def session_url(session: WebinarSession, t: int | None = None) -> str:
    path = f"/webinars/s/{session.slug}"
    return f"{path}?t={int(t)}#t={int(t)}" if t is not None else path


def _withdraw(session: WebinarSession) -> None:
    withdraw_resource("webinar", session.uuid)
    for chapter in session.chapters:
        withdraw_resource("webinar_chapter", chapter.uuid)


def sync_registry(session: WebinarSession) -> None:
    """Register the session (kind ``webinar``) and each chapter (``webinar_chapter``) as resources,
    owned by the session's team. A session cancelled before it took place, with no recording, is
    nothing to study: it is withdrawn (not announced on the home page, found by the site search or
    recommended) until a recording is published for it."""
    if session.is_cancelled and not session.is_partly_held and not session.recordings:
        _withdraw(session)
        return
    # The languages the session page lists: recordings and captions, or the planned ones before any.
    langs = listed_languages(session)
    publish_resource(
        kind="webinar",
        key=session.uuid,
        plugin="webinars",
        titles=session.titles,
        url=session_url(session),
        languages=langs,
        articles=session.articles or [],
        owners=session.team_ids(),
    )
    for chapter in session.chapters:
        titles = {}
        for lang in set(chapter.titles) | set(session.titles):
            titles[lang] = f"{session.title(lang)} — {chapter.title(lang)}"
        publish_resource(
            kind="webinar_chapter",
            key=chapter.uuid,
            plugin="webinars",
            titles=titles,
            url=session_url(session, chapter.start_s),
            languages=langs,
            articles=chapter.articles or session.articles or [],
            owners=session.team_ids(),
        )


def reindex(session: WebinarSession) -> int:
    """Rebuild the session's search documents (none while unpublished)."""
    if not session.is_published:
        search.remove_docs(session)
        return 0
    src = session.source_language
    docs: list[tuple] = []
    speakers = ", ".join(s["name"] for s in session.speakers or [])
    for lang, title in (session.titles or {}).items():
        docs.append(("title", lang, None, f"{title} {speakers}".strip()))
    for lang, body in (session.descriptions or {}).items():
        # The text a reader sees: Markdown rendered, then its tags removed (link targets and markup gone,
        # the text's own parentheses and punctuation kept).
        docs.append(("description", lang, None, render_markdown(body).striptags()))
    for chapter in session.chapters:
        for lang, title in (chapter.titles or {}).items():
            docs.append(("chapter", lang, chapter.start_s, title))
    for track in session.captions:
        for cue in cap.cues_from_vtt(track.vtt):
            docs.append(("transcript", track.language, int(cue.start), cue.text))
    items = db.session.scalars(
        select(QAItem).where(QAItem.session_id == session.id, QAItem.status == "published")
    ).all()
    for item in items:
        docs.append(("qa", item.language or src, item.time_s, f"{item.question} {item.answer or ''}"))
    return search.replace_docs(session, docs)


def content_changed(session: WebinarSession) -> None:
    """Keep the registry and the search index in step with a published session."""
    if session.is_published:
        sync_registry(session)
        reindex(session)


def publish_session(actor: User | None, session: WebinarSession) -> None:
    if not session.titles.get(session.source_language):
        raise WebinarError(_("The session needs a title before it is published."))
    first = not session.is_published
    session.is_published = True
    session.published_dt = session.published_dt or utcnow()
    db.session.flush()
    sync_registry(session)
    reindex(session)
    notify_recording_available(session)
    audit(actor, "webinars.session.publish", "webinars_session", session.uuid, first=first)


def unpublish_session(actor: User | None, session: WebinarSession) -> None:
    session.is_published = False
    db.session.flush()
    _withdraw(session)
    search.remove_docs(session)
    audit(actor, "webinars.session.unpublish", "webinars_session", session.uuid)


# --- followers and notices ---------------------------------------------------------------------------
def set_following(user: User, season: Season, follow: bool) -> bool:
    row = db.session.scalar(select(SeasonFollower).filter_by(season_id=season.id, user_id=user.id))
    if follow and row is None:
        db.session.add(SeasonFollower(season_id=season.id, user_id=user.id))
    elif not follow and row is not None:
        db.session.delete(row)
    db.session.flush()
    return follow


def is_following(user, season: Season) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(select(SeasonFollower.id).filter_by(season_id=season.id, user_id=user.id))
        is not None
    )


def notify_recording_available(session: WebinarSession) -> int:
    """Queue one "recording available" mail per follower of the season (never twice). Only for a
    published session that has a recording."""
    if not session.is_published or not session.recordings:
        return 0
    followers = db.session.scalars(
        select(User)
        .join(SeasonFollower, SeasonFollower.user_id == User.id)
        .where(SeasonFollower.season_id == session.season_id, User.deleted_dt.is_(None))
    ).all()
    already = set(db.session.scalars(select(RecordingNotice.user_id).filter_by(session_id=session.id)))
    base = current_app.config["BASE_URL"].rstrip("/")
    count = 0
    for user in followers:
        if user.id in already:
            continue
        lang = user.locale if user.locale in LANGUAGES else "en"
        title, _used = pick_text(session.titles, lang, session.source_language)
        with force_locale(lang):
            subject = _("Recording available: %(title)s", title=title)
            body = _(
                "Hello %(name)s,\n\nThe recording of “%(title)s” (%(season)s) is now available:\n%(url)s\n\n"
                "You receive this message because you follow this season. You can stop following it "
                "on the season's page.",
                name=user.name,
                title=title,
                season=session.season.title(lang),
                url=base + session_url(session),
            )
        queue_mail(user.email, subject, body)
        db.session.add(RecordingNotice(session_id=session.id, user_id=user.id))
        count += 1
    db.session.flush()
    return count
