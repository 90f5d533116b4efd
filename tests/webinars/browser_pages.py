"""The webinars pages the browser harness checks (en and ar): archive, season, session (video and
audio-only), an upcoming and a cancelled session and their season, transcript, search, the follow-up
question form, and the authoring pages (the demo trainer owns the demo sessions, so their management
and team pages open)."""

from __future__ import annotations

from sqlalchemy import select

from lms.db import db
from tests.browser.pages import PageSpec


def _session_url(suffix: str = "", kind: str = "webinar"):
    """The first published demo session with a recording (found through the core registry)."""

    def _find():
        from lms.registry import LearningResource

        urls = db.session.scalars(
            select(LearningResource.url)
            .where(LearningResource.kind == kind, LearningResource.is_published.is_(True))
            .order_by(LearningResource.id)
        ).all()
        url = next((u for u in urls if "/s/s5-" in u), urls[0] if urls else None)
        return url.split("#")[0] + suffix if url else None

    return _find


def _slug_path(template: str):
    def _find():
        url = _session_url()()
        return template.format(slug=url.rsplit("/", 1)[-1]) if url else None

    return _find


def _first_chapter():
    def _find():
        from lms.registry import LearningResource

        key = db.session.scalar(
            select(LearningResource.key)
            .where(LearningResource.kind == "webinar_chapter")
            .order_by(LearningResource.id)
        )
        return f"/webinars/manage/chapters/{key}" if key else None

    return _find


def _spec(name, path, role=None):
    return PageSpec(f"webinars-{name}", path, role=role, plugin="webinars")


WEBINARS_PAGES = [
    _spec("archive", "/webinars/"),
    _spec("archive-filtered", "/webinars/?article=11&language=es"),
    _spec("season", "/webinars/seasons/season-5"),
    _spec("session", _session_url()),
    _spec("session-audio", _session_url("?mode=audio&lang=es&t=4")),
    _spec("session-signed-in", _session_url(), role="learner"),
    _spec("upcoming-session", "/webinars/s/demo-upcoming-session", role="learner"),
    _spec("cancelled-session", "/webinars/s/demo-cancelled-session", role="learner"),
    _spec("upcoming-season", "/webinars/seasons/season-6"),
    _spec("transcript", _slug_path("/webinars/s/{slug}/transcript/fr")),
    _spec("search", "/webinars/search?q=pilas"),
    _spec("search-seasons", "/webinars/search?q=saison"),
    _spec("manage", "/webinars/manage/", role="trainer"),
    _spec("manage-session", _slug_path("/webinars/manage/s/{slug}"), role="trainer"),
    _spec("manage-team", _slug_path("/webinars/manage/s/{slug}/team"), role="trainer"),
    _spec("manage-cancelled-session", "/webinars/manage/s/demo-cancelled-session", role="trainer"),
    _spec("new-session", "/webinars/manage/sessions/new", role="trainer"),
    _spec("edit-season", "/webinars/manage/seasons/season-6/edit?lang=fr", role="trainer"),
    _spec("edit-chapter", _first_chapter(), role="trainer"),
    _spec("moderation", "/webinars/manage/questions", role="trainer"),
]
