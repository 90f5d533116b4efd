"""Every page type the harness checks: a name, how to find its path, and who opens it.

A path is either a literal or a callable run inside the live app's context (so plugin pages are found
through the core registry of learning resources, without importing any plugin). ``role`` is the demo
account that signs in first (``None``: anonymous).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from lms.db import db


@dataclass(frozen=True)
class PageSpec:
    name: str
    path: str | Callable[[], str | None]
    role: str | None = None
    plugin: str | None = None

    def resolve(self) -> str | None:
        return self.path() if callable(self.path) else self.path


def first_resource_url(kind: str, suffix: str = "") -> Callable[[], str | None]:
    def _find():
        from lms.registry import LearningResource

        res = db.session.scalar(
            select(LearningResource)
            .where(LearningResource.kind == kind, LearningResource.is_published.is_(True))
            .order_by(LearningResource.id)
        )
        return (res.url.split("#")[0] + suffix) if res else None

    return _find


def first_link(start: str | Callable[[], str | None], pattern: str, role: str | None = None):
    """The first link on page ``start`` whose path matches ``pattern`` (a regular expression), as seen by
    the demo account ``role``: pages deep in a plugin are found by following the plugin's own links."""

    def _find():
        import re

        from flask import current_app

        base = start() if callable(start) else start
        if base is None:
            return None
        client = current_app.test_client()
        if role:
            from lms.account import sign_ins
            from lms.models import User

            user = db.session.scalar(select(User).filter_by(email=DEMO_ACCOUNTS[role]))
            record = sign_ins.open_sign_in(user, "pytest")
            db.session.commit()
            with client.session_transaction() as sess:
                sess["_user_id"] = user.get_id()
                sess["_fresh"] = True
                sess[sign_ins.SESSION_KEY] = record.key
        html = client.get(base).get_data(as_text=True)
        for href in re.findall(r'href="([^"#]+)', html):
            if re.search(pattern, href):
                return href.replace("&amp;", "&")
        return None

    return _find


def invitation_url() -> str:
    """The page where an invited person chooses their password, through a valid invitation link (made
    for the demo learner: any active account's link opens the page)."""
    from lms.account import tokens
    from lms.models import User

    user = db.session.scalar(select(User).filter_by(email=DEMO_ACCOUNTS["learner"]))
    return f"/account/invitation/{tokens.make_invitation_token(user)}"


DEMO_ACCOUNTS = {
    "admin": "admin@example.org",
    "trainer": "trainer@example.org",
    "coordinator": "coordinator@example.org",
    "learner": "learner@example.org",
}

PAGES: list[PageSpec] = [
    PageSpec("home", "/"),
    PageSpec("search", "/search?q=mercury"),
    PageSpec("not-found", "/no-such-page"),
    PageSpec("login", "/account/login"),
    PageSpec("register", "/account/register"),
    PageSpec("profile", "/account/profile", role="learner"),
    PageSpec("sessions", "/account/sessions", role="learner"),
    PageSpec("admin-users", "/admin/users", role="admin"),
    PageSpec("admin-invite", "/admin/users/invite", role="admin"),
    PageSpec("accept-invitation", invitation_url),
    # The same link opened while someone else is signed in: sign out first.
    PageSpec("invitation-signed-in", invitation_url, role="trainer"),
    PageSpec("admin-lrs", "/admin/lrs/", role="admin"),
    PageSpec("privacy", "/account/privacy", role="learner"),
]

from tests.analytics.browser_pages import ANALYTICS_PAGES  # noqa: E402  (analytics dashboards, public pages)

PAGES += ANALYTICS_PAGES

from tests.webinars.browser_pages import WEBINARS_PAGES  # noqa: E402  (archive, player, transcript, search, authoring)

PAGES += WEBINARS_PAGES

from tests.courses.browser_pages import COURSES_PAGES  # noqa: E402  (catalogue, learning, certificates, authoring)

PAGES += COURSES_PAGES

from tests.readiness.browser_pages import READINESS_PAGES  # noqa: E402  (assessment, result, benchmark, secretariat)

PAGES += READINESS_PAGES

from tests.courses.kits.browser_pages import KITS_PAGES  # noqa: E402  (workshop kits and workshops)

PAGES += KITS_PAGES
