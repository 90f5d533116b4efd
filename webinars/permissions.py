"""webinars: who may do what. Visitors browse and watch published sessions without an account;
signed-in users ask, upvote, register, follow and resume; trainers (and admins) author and moderate."""

from __future__ import annotations

from flask import abort


def can_author(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.has_role("trainer"))


def can_view(user, session) -> bool:
    """Published sessions are public; unpublished ones are previews for authors."""
    return session.is_published or can_author(user)


def require_view(user, session) -> None:
    if not can_view(user, session):
        abort(404)
