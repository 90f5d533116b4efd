"""How the administration shows audit entries: a translated label per core action and a readable
sentence for its details, instead of the stored codes ("user.role", "new: trainer; old: learner").

Plugins add the labels of their own actions with :func:`register` (when they are loaded); an action
without a label keeps a generic rendering of its code and details.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.account.forms import role_label
from lms.countries import country_name

ACTION_LABELS = {
    "user.role": _l("Role changed"),
    "user.country": _l("Country changed"),
    "user.deactivate": _l("Account deactivated"),
    "user.reactivate": _l("Account reactivated"),
    "user.deletion_requested": _l("Deletion requested by the user"),
    "user.deletion_rejected": _l("Deletion request rejected"),
    "user.deletion_withdrawn": _l("Deletion request withdrawn by the user"),
    "user.deleted": _l("Account deleted"),
    "user.create_admin": _l("Made an administrator from the command line"),
    "user.invite": _l("Invited by an administrator"),
    "user.invite_resent": _l("Invitation sent again"),
    "user.invite_accepted": _l("Invitation accepted"),
}


_DETAILS: list[Callable[[str, dict], str | None]] = []


def register(labels: Mapping[str, object], details: Callable[[str, dict], str | None] | None = None) -> None:
    """Add a plugin's audit actions: ``labels`` maps an action code to its (lazily) translated label;
    ``details(action, details)`` returns the sentence for an action's details in the reader's language, or
    None for an action that is not the plugin's. Idempotent."""
    ACTION_LABELS.update(labels)
    if details is not None and details not in _DETAILS:
        _DETAILS.append(details)


def action_label(action: str) -> str:
    """The translated label of an audit action; the code itself for an action without one."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def action_details(action: str, details: dict | None) -> str:
    """The details of an audit entry as a sentence in the reader's language."""
    details = details or {}
    if action == "user.role" and {"old", "new"} <= details.keys():
        return _("From %(old)s to %(new)s", old=role_label(details["old"]), new=role_label(details["new"]))
    if action == "user.country" and {"old", "new"} <= details.keys():
        return _(
            "From %(old)s to %(new)s",
            old=country_name(details["old"]) or "—",
            new=country_name(details["new"]) or details["new"],
        )
    if action == "user.deletion_rejected" and details.get("note"):
        return _("Reason: %(note)s", note=details["note"])
    if action == "user.invite" and "role" in details:
        return _("As %(role)s", role=role_label(details["role"]))
    if action == "user.create_admin" and "created" in details:
        return _("New account") if details["created"] else _("Existing account")
    for plugin_details in _DETAILS:
        text = plugin_details(action, details)
        if text is not None:
            return text
    if action in ACTION_LABELS:
        return ""
    return "; ".join(f"{key}: {value}" for key, value in sorted(details.items()))
