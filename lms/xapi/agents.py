"""The platform's agents in xAPI: a user's pseudonymous actor and the authority of the platform's own
statements. Both are accounts under the site's base URL; a user is named by their UUID, never by e-mail."""

from __future__ import annotations

from flask import current_app

AUTHORITY_NAME = "minamata-lms"


def actor_for(user) -> dict:
    """The pseudonymous xAPI actor of a platform user: an ``account`` with the site's home page and the
    user's UUID; never the e-mail."""
    return {"objectType": "Agent", "account": {"homePage": current_app.config["BASE_URL"], "name": user.uuid}}


def platform_authority() -> dict:
    """The Agent the platform's own statements carry as authority."""
    return {
        "objectType": "Agent",
        "account": {"homePage": current_app.config["BASE_URL"], "name": AUTHORITY_NAME},
    }
