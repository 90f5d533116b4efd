"""webinars: the short-lived LRS credentials the player posts xAPI Video Profile statements with, one per
learner and session (the core's hourly job ``lms.xapi.expired_launch_credentials`` deletes expired ones)."""

from __future__ import annotations

import hashlib
import hmac
from base64 import b64encode, urlsafe_b64encode
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from lms.db import db, utcnow
from lms.models import User
from lms.xapi import activity_iri
from webinars.models import WebinarSession
from webinars.settings import setting


def video_activity_id(session: WebinarSession) -> str:
    return activity_iri("webinar", session.uuid, "recording")


def _player_secret(key: str) -> str:
    """The secret of the player credential ``key``, derived from the application's secret key: the
    platform can hand a still-valid credential out again without storing its secret anywhere (the LRS
    keeps only its hash). Whoever holds SECRET_KEY can already sign in as anyone."""
    digest = hmac.new(
        current_app.config["SECRET_KEY"].encode(), f"webinars-player:{key}".encode(), hashlib.sha256
    ).digest()
    return urlsafe_b64encode(digest).decode().rstrip("=")


def player_client(user: User, session: WebinarSession):
    """``(key, secret)`` of the LRS credential the player posts with for ``user`` and ``session``: a
    still-valid one (good for the length of the session at least) is reused, otherwise a new one is
    issued; the core's scheduled job deletes expired ones. Flushes."""
    from lms.xapi.auth import _HASH_METHOD, LAUNCH_SCOPES, LRSClient, create_client

    activity = video_activity_id(session)
    now = utcnow()
    candidates = db.session.scalars(
        select(LRSClient)
        .where(
            LRSClient.user_id == user.id,
            LRSClient.activity_id == activity,
            LRSClient.is_active.is_(True),
            LRSClient.expires_dt > now + timedelta(minutes=session.duration_min),
        )
        .order_by(LRSClient.expires_dt.desc())
    )
    for client in candidates:
        secret = _player_secret(client.key)
        if client.check_secret(secret):  # one issued by this function, not by another path
            return client.key, secret
    client, key, _random = create_client(
        f"launch {user.uuid}",
        LAUNCH_SCOPES,
        user=user,
        activity_id=activity,
        expires_dt=now + timedelta(minutes=max(30, session.duration_min * 3)),
    )
    secret = _player_secret(key)
    client.secret_hash = generate_password_hash(secret, method=_HASH_METHOD)
    db.session.flush()
    return key, secret


def launch_credentials(user: User, session: WebinarSession) -> dict:
    """What the player needs to post Video Profile statements to the built-in LRS for ``user``."""
    from lms.xapi.agents import actor_for

    key, secret = player_client(user, session)
    token = b64encode(f"{key}:{secret}".encode()).decode()
    return {
        # Same origin as the page (its CSP allows no other), wherever the site was reached from; the
        # actor's account and the activity IRIs keep BASE_URL.
        "endpoint": url_for("xapi.about").removesuffix("about"),
        "auth": f"Basic {token}",
        "actor": actor_for(user),
        "activity": video_activity_id(session),
        "parent": activity_iri("webinar", session.uuid),
        "threshold": float(setting("WEBINARS_COMPLETION_FRACTION")),
    }
