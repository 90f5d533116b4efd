"""The labels of the courses plugin's audit actions (a module's audit trail, the administration's audit
pages), registered with :func:`lms.admin.audit_labels.register` when the plugin is loaded. A module's
edits are recorded as ``courses.<what>_<change>`` (``drafts.write_source``, publishing, packages,
translations, media, teams)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from lms.admin.audit_labels import register
from lms.i18n import details_text, language_name

ACTION_LABELS = {
    "courses.course_created": _l("Module created"),
    "courses.course_updated": _l("Module details edited"),
    "courses.course_published": _l("Version published"),
    "courses.course_unpublished": _l("Module unpublished"),
    "courses.course_archived": _l("Module archived"),
    "courses.course_restored": _l("Module restored"),
    "courses.package_imported": _l("Module package imported"),
    "courses.unit_added": _l("Unit added"),
    "courses.unit_updated": _l("Unit renamed"),
    "courses.unit_deleted": _l("Unit deleted"),
    "courses.unit_moved": _l("Unit moved"),
    "courses.lesson_added": _l("Lesson added"),
    "courses.lesson_updated": _l("Lesson edited"),
    "courses.quiz_added": _l("Quiz added"),
    "courses.quiz_updated": _l("Quiz edited"),
    "courses.package_added": _l("xAPI or cmi5 package added"),
    "courses.package_renamed": _l("Package step renamed"),
    "courses.item_deleted": _l("Step deleted"),
    "courses.item_moved": _l("Step moved"),
    "courses.question_added": _l("Question added"),
    "courses.question_updated": _l("Question edited"),
    "courses.question_deleted": _l("Question deleted"),
    "courses.question_moved": _l("Question moved"),
    "courses.translation_saved": _l("Translation saved"),
    "courses.media_saved": _l("Media file uploaded"),
    "courses.media_deleted": _l("Media file deleted"),
    "courses.team_member_added": _l("Team member added"),
    "courses.team_member_removed": _l("Team member removed"),
    "courses.learners_messaged": _l("Message sent to the learners"),
    "courses.au_waived": _l("Activity waived for a learner"),
}


def action_details(action: str, details: dict) -> Markup | None:
    """What a trainer can read of a module action's details (a version, a language, a file, a step's
    short name, a direction, a waiver's reason); identifiers and checksums stay in the stored entry.
    Markup, its typed parts escaped once: a page escaping it again would show "&#39;" for an apostrophe."""
    if action not in ACTION_LABELS:
        return None
    parts = []
    if "version" in details:
        parts.append(_("Version %(n)s", n=details["version"]))
    if details.get("slug"):
        parts.append(details["slug"])
    if details.get("language"):
        parts.append(language_name(details["language"]))
    if details.get("filename"):
        parts.append(details["filename"])
    if details.get("direction") in ("up", "down"):
        parts.append(_("Moved up") if details["direction"] == "up" else _("Moved down"))
    if action == "courses.package_imported" and "created" in details:
        parts.append(_("New module") if details["created"] else _("Draft of an existing module replaced"))
    if details.get("reason"):
        parts.append(details["reason"])
    return details_text(parts)


register(ACTION_LABELS, action_details)
