"""webinars: public pages of the Minamata Online archive: season, session (player, chapters, downloads,
Q&A), transcript, caption and chapter tracks, media files (HTTP Range), calendar files and search.
The archive's list is in :mod:`webinars.views_archive`, signed-in actions in
:mod:`webinars.views_member`, authoring in :mod:`webinars.views_author`."""

from __future__ import annotations

from flask import Blueprint, Response, abort, make_response, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.config import LANGUAGES
from lms.db import db
from lms.i18n import current_language, file_size, language_name
from webinars import player, player_credentials, qa, registrations, tracking
from webinars.articles import article_label
from webinars.captions import format_clock
from webinars.formatting import available_languages, listed_languages, reminder_times, with_languages
from webinars.forms import ActionForm, QuestionForm, RegisterForm, SearchForm
from webinars.media import media_path
from webinars.models import Attachment, CaptionTrack, Recording, Season, WebinarSession, pick_text
from webinars.permissions import can_author, can_view, require_view
from webinars.search import search as run_search
from webinars.search import search_seasons, snippet
from webinars.services import chapters_track, is_following

bp = Blueprint("webinars", __name__, template_folder="templates", static_folder="static")


@bp.context_processor
def _helpers():
    lang = current_language()
    return {
        "pick": lambda texts, source="en": pick_text(texts, lang, source),
        "clock": format_clock,
        "article_label": article_label,
        "lang_name": language_name,  # the reader's language: "anglais" (core's lms.i18n)
        "file_size": file_size,
        "listed_languages": listed_languages,
        "reminder_times": reminder_times,
        "speed_options": player.speed_options,
        "can_author": can_author(current_user),
    }


def find_session(slug: str) -> WebinarSession:
    """The session named ``slug`` (404 when there is none), whoever may see it."""
    session = db.session.scalar(select(WebinarSession).where(WebinarSession.slug == slug))
    if session is None:
        abort(404)
    return session


def get_session(slug: str) -> WebinarSession:
    """The session named ``slug`` when the current user may see it (404 otherwise)."""
    session = find_session(slug)
    require_view(current_user, session)
    return session


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else None


@bp.get("/seasons/<slug>")
def season(slug: str):
    season = db.session.scalar(select(Season).where(Season.slug == slug))
    if season is None:
        abort(404)
    stmt = select(WebinarSession).filter_by(season_id=season.id).order_by(WebinarSession.start_dt)
    stmt = stmt.options(*with_languages(), selectinload(WebinarSession.cohosts))
    sessions = [s for s in db.session.scalars(stmt) if can_view(current_user, s)]
    return render_template(
        "webinars/season.html",
        season=season,
        sessions=sessions,
        following=is_following(current_user, season),
        form=ActionForm(),
    )


@bp.get("/s/<slug>")
def session_page(slug: str):
    session = get_session(slug)
    lang = current_language()
    wanted = request.args.get("lang") if request.args.get("lang") in LANGUAGES else lang
    t = _int_arg("t")
    choice = player.choose(session, wanted, request.args.get("mode", "video"), t)
    signed_in = current_user.is_authenticated
    launch = None
    resume = None
    if signed_in and choice.recording is not None and not choice.recording.is_external:
        launch = player_credentials.launch_credentials(current_user, session)
        state = tracking.watch_state(current_user, session)
        resume = state.position_s if state and not state.is_completed else None
        db.session.commit()
    items = qa.published_items(session)  # after the commit, which would expire each of them
    reg_form = None
    if session.is_upcoming():
        reg_form = RegisterForm()
        reg_form.offer_runs(session.runs())
    resp = make_response(
        render_template(
            "webinars/session.html",
            session=session,
            choice=choice,
            t=t,
            lang=lang,
            title_text=pick_text(session.titles, lang, session.source_language),
            description=pick_text(session.descriptions, lang, session.source_language),
            live_items=[i for i in items if i.source == "live"],
            followups=[i for i in items if i.source == "followup"],
            voted=qa.voted_ids(current_user, items),
            pending_questions=qa.pending_count(current_user, session),
            question_form=QuestionForm(),
            action_form=ActionForm(),
            reg_form=reg_form,
            registration=registrations.registration_for(current_user, session),
            launch=launch,
            resume=resume,
            is_direct_media=player.is_direct_media,
            available=available_languages(session),
            what_names={
                "video": _("video"),
                "audio": _("audio only"),
                "captions": _("captions with transcript"),
            },
        )
    )
    if signed_in:
        resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.get("/s/<slug>/transcript/<lang>")
def transcript(slug: str, lang: str):
    session = get_session(slug)
    if lang not in LANGUAGES:
        abort(404)
    tracks = {c.language: c for c in session.captions}
    track = tracks.get(lang) or tracks.get(session.source_language) or next(iter(tracks.values()), None)
    if track is None:
        abort(404)
    paragraphs, pages = player.transcript(session, track, track.language, part=_int_arg("part") or 1)
    choice = player.choose(session, track.language, "audio")
    return render_template(
        "webinars/transcript.html",
        session=session,
        track=track,
        wanted=lang,
        paragraphs=paragraphs,
        pages=pages,
        part=min(max(1, _int_arg("part") or 1), pages),
        choice=choice,
        transcript_langs=sorted(tracks, key=list(LANGUAGES).index),
    )


def _text_response(body: str, mimetype: str, public: bool) -> Response:
    resp = Response(body, mimetype=mimetype)
    resp.headers["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return resp


@bp.get("/s/<slug>/captions/<lang>.vtt")
def captions_file(slug: str, lang: str):
    session = get_session(slug)
    track = db.session.scalar(select(CaptionTrack).filter_by(session_id=session.id, language=lang))
    if track is None:
        abort(404)
    resp = _text_response(track.vtt, "text/vtt", session.is_published)
    resp.set_etag(f"{track.id}-{track.updated_dt.timestamp()}")
    return resp.make_conditional(request)


@bp.get("/s/<slug>/chapters/<lang>.vtt")
def chapters_file(slug: str, lang: str):
    session = get_session(slug)
    if lang not in LANGUAGES or not session.chapters:
        abort(404)
    return _text_response(chapters_track(session, lang), "text/vtt", session.is_published)


@bp.get("/s/<slug>/calendar.ics")
def calendar(slug: str):
    session = get_session(slug)
    registration = registrations.registration_for(current_user, session)
    run = registration.run if registration is not None else None  # a registered attendee's own run
    ics = registrations.ics_for(session, current_language(), run, registrant=registration is not None)
    resp = Response(ics, mimetype="text/calendar")
    resp.headers["Content-Disposition"] = f'attachment; filename="{session.slug}.ics"'
    if registration is not None:
        resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.get("/media/<name>")
def media_file(name: str):
    """A recording or attachment, with HTTP Range (206) and caching headers."""
    row = db.session.scalar(select(Recording).where(Recording.stored_name == name)) or db.session.scalar(
        select(Attachment).where(Attachment.stored_name == name)
    )
    if row is None:
        abort(404)
    require_view(current_user, row.session)
    path = media_path(name)
    if not path.is_file():
        abort(404)
    download = request.args.get("download") == "1"
    resp = send_file(
        path,
        mimetype=row.content_type,
        conditional=True,
        etag=True,
        as_attachment=download,
        download_name=row.original_name or name,
        max_age=31536000 if row.session.is_published else 0,
    )
    if row.session.is_published:
        resp.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.get("/search")
def search():
    form = SearchForm(request.args)
    q = (form.q.data or "").strip()[:200]
    language = form.language.data if form.language.data in LANGUAGES else None
    hits = run_search(q, language=language) if q else []
    seasons = search_seasons(q, language=language) if q else []
    grouped: dict[int, tuple[WebinarSession, list]] = {}
    for hit in hits:
        grouped.setdefault(hit.session.id, (hit.session, []))[1].append(hit)
    return render_template(
        "webinars/search.html",
        form=form,
        q=q,
        seasons=seasons,
        groups=list(grouped.values()),
        count=len(hits) + sum(len(found) for _season, found in seasons),
        snippet=snippet,
    )


from webinars import receivers, views_author, views_cancel, views_manage, views_member  # noqa: E402,F401,I001  (routes on bp)
from webinars import views_archive, views_seasons, views_team  # noqa: E402,F401,I001

receivers.connect()
