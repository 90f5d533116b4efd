"""Recording statements from the platform (contract; the implementation lives in the LRS modules)."""

from __future__ import annotations

from datetime import datetime


def activity_iri(kind: str, key: str, *parts: str) -> str:
    """A stable activity IRI under the site's base URL: ``{BASE_URL}/xapi/activities/{kind}/{key}/...``.
    ``key`` is a UUID or slug, never an integer primary key."""
    from flask import current_app

    base = current_app.config["BASE_URL"].rstrip("/")
    tail = "/".join([kind, key, *parts])
    return f"{base}/xapi/activities/{tail}"


def record_statement(
    *,
    user,
    verb: str,
    activity_id: str,
    activity_type: str | None = None,
    activity_name: dict[str, str] | None = None,
    activity_description: dict[str, str] | None = None,
    activity_extra: dict | None = None,
    result: dict | None = None,
    registration: str | None = None,
    parents: list[str] | tuple = (),
    grouping: list[str] | tuple = (),
    category: list[str] | tuple = (),
    language: str | None = None,
    extensions: dict | None = None,
    result_extensions: dict | None = None,
    timestamp: datetime | None = None,
) -> dict:
    """Build a statement with ``tincan`` and store it in the built-in LRS, in the current transaction.

    - ``user``: the :class:`lms.models.User` (becomes the pseudonymous actor, see :func:`actor_for`).
    - ``verb``: a key of :data:`lms.xapi.verbs.VERBS` (``"completed"``, ``"answered"``, ``"played"`` ...)
      or a full verb IRI; display names in the six languages come from the vocabulary.
    - ``activity_id``: from :func:`activity_iri`; ``activity_type`` an activity type IRI or a key of
      :data:`lms.xapi.verbs.ACTIVITY_TYPES`; ``activity_extra``: further definition properties
      (``interactionType``, ``choices``, ``correctResponsesPattern`` ...).
    - ``result``: xAPI result properties (``score``, ``success``, ``completion``, ``response``,
      ``duration`` as ISO 8601 or seconds float).
    - ``registration``: the enrolment's UUID; ``parents``/``grouping``/``category``: activity IRIs;
      ``language``: the RFC 5646 tag of the content shown; the user's country and UN region are added
      as context extensions automatically.

    Returns the stored statement (dict with ``id``, ``stored``, ``authority``). Flushes, never commits.
    """
    from lms.xapi.platform import record  # implementation

    return record(
        user=user,
        verb=verb,
        activity_id=activity_id,
        activity_type=activity_type,
        activity_name=activity_name,
        activity_description=activity_description,
        activity_extra=activity_extra,
        result=result,
        registration=registration,
        parents=parents,
        grouping=grouping,
        category=category,
        language=language,
        extensions=extensions,
        result_extensions=result_extensions,
        timestamp=timestamp,
    )
