"""webinars: who may do what. Visitors browse and watch published sessions without an account;
signed-in users ask, upvote, register, follow and resume; trainers create seasons and sessions.

A session belongs to its team: the trainer who created it (the owner) and the co-hosts the owner adds.
Only the team (and admins) edit, publish, moderate the Q&A of and see the registrations of a session,
and preview it while unpublished; other trainers see it like anyone. Only the owner (and admins) change
the team. A season is edited by the trainer who created it (and admins)."""

from __future__ import annotations

from flask import abort


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def can_author(user) -> bool:
    """May create seasons and sessions and open the management pages (trainers and admins)."""
    return _signed_in(user) and user.has_role("trainer")


def is_admin(user) -> bool:
    return _signed_in(user) and user.is_admin


def can_manage(user, session) -> bool:
    """Owner, co-host (still a trainer) or admin of ``session``."""
    if not can_author(user):
        return False
    return user.is_admin or user.id in session.team_ids()


def can_manage_team(user, session) -> bool:
    """Only the owner (still a trainer) and admins add and remove co-hosts."""
    return can_author(user) and (user.is_admin or user.id == session.owner_id)


def can_edit_season(user, season) -> bool:
    return can_author(user) and (user.is_admin or user.id == season.owner_id)


def can_view(user, session) -> bool:
    """Published sessions are public; unpublished ones are previews for their team."""
    return session.is_published or can_manage(user, session)


def require_view(user, session) -> None:
    if not can_view(user, session):
        abort(404)


def require_manage(user, session) -> None:
    if not can_manage(user, session):
        abort(403)


def require_manage_team(user, session) -> None:
    if not can_manage_team(user, session):
        abort(403)


def require_edit_season(user, season) -> None:
    if not can_edit_season(user, season):
        abort(403)
