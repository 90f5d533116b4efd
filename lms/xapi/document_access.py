"""Which documents launch credentials may touch (the rest of :mod:`lms.xapi.documents` applies to
every client).

Launch credentials are bound to a learner (``LRSClient.user_id``): they may only touch that learner's
State and Agent Profile documents (and their own registration), and may only write the Activity Profile
of the activity they launched. They may read, but never write or delete, the ``LMS.LaunchData`` State
document the LMS writes at a cmi5 launch (cmi5 section 10, contextTemplate: "The AU MUST NOT modify or
delete the LMS.LaunchData State document"); a DELETE of every State document of the context (no
``stateId``) that would take ``LMS.LaunchData`` with it is refused whole, since the AU may not delete it
and a partial delete would break the State API's contract.
"""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from lms.db import db
from lms.xapi.errors import XAPIError
from lms.xapi.models import Document

LAUNCH_DATA = "LMS.LaunchData"
"""The State document the LMS writes for a cmi5 launch (cmi5 10)."""


def _client_binding():
    client = getattr(g, "lrs_client", None)
    return (
        getattr(client, "user_id", None),
        getattr(client, "registration", None),
        getattr(client, "activity_id", None),
    )


def check_binding(resource: str, ref, method: str) -> None:
    """Refuse (403) what the current request's launch credentials may not do to the document(s)
    ``ref`` (a :class:`lms.xapi.documents.DocRef`); clients not bound to a learner pass."""
    user_id, bound_registration, bound_activity = _client_binding()
    if user_id is None:
        return
    if ref.agent_key is not None:
        from lms.models import User
        from lms.xapi.agents import actor_for
        from lms.xapi.ids import agent_key

        user = db.session.get(User, user_id)
        if user is None or agent_key(actor_for(user)) != ref.agent_key:
            raise XAPIError(403, "These launch credentials may only access their own learner's documents.")
    if bound_registration and ref.registration and ref.registration != bound_registration.lower():
        raise XAPIError(403, "These launch credentials may only access their own registration.")
    if (
        resource == "activity_profile"
        and method != "GET"
        and bound_activity
        and ref.activity_id != bound_activity
    ):
        raise XAPIError(403, "These launch credentials may only write the profile of the launched activity.")
    if resource == "state" and method != "GET":
        _check_launch_data(ref, method)


def _check_launch_data(ref, method: str) -> None:
    if ref.doc_id == LAUNCH_DATA:
        raise XAPIError(
            403,
            f"The {LAUNCH_DATA} State document is the LMS's: launched content may read it but not "
            "change or delete it (cmi5 section 10).",
        )
    if method == "DELETE" and ref.doc_id is None:
        hit = db.session.scalar(
            select(Document.id).where(*ref.filters(), Document.doc_id == LAUNCH_DATA).limit(1)
        )
        if hit is not None:
            raise XAPIError(
                403,
                f"This would delete the {LAUNCH_DATA} State document, which launched content may not "
                "delete (cmi5 section 10): delete the other documents one by one (by stateId) instead.",
            )
