"""The labels of the courses plugin's audit actions (the audit trails of a module, a kit and a workshop,
the administration's audit pages), registered with :func:`lms.admin.audit_labels.register` when the
plugin is loaded. Changes are recorded as ``courses.<what>_<change>`` (``drafts.write_source``,
publishing, packages, translations, media, teams, kits, workshops)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup

from courses.forms_kits import PART_LABELS
from courses.forms_team import ROLE_LABELS
from courses.models_kits import TEST_PHASES
from courses.services.questions import KIND_LABELS
from courses.services.workshops_tests import phase_label
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
    "courses.kit_created": _l("Kit created"),
    "courses.kit_updated": _l("Kit details edited"),
    "courses.kit_published": _l("Version published"),
    "courses.kit_unpublished": _l("Kit unpublished"),
    "courses.kit_package_imported": _l("Kit package imported"),
    "courses.kit_copied": _l("Kit copied for a region"),
    "courses.kit_part_added": _l("Part added"),
    "courses.kit_part_updated": _l("Part edited"),
    "courses.kit_part_deleted": _l("Part deleted"),
    "courses.kit_part_moved": _l("Part moved"),
    "courses.kit_question_added": _l("Test question added"),
    "courses.kit_question_updated": _l("Test question edited"),
    "courses.kit_translation_saved": _l("Translation saved"),
    "courses.workshop_created": _l("Workshop created"),
    "courses.workshop_updated": _l("Workshop details edited"),
    "courses.workshop_kit_version": _l("Kit version changed"),
    "courses.workshop_flags": _l("Settings changed"),
    "courses.workshop_participants_imported": _l("List of participants imported"),
    "courses.workshop_participant_registered": _l("Participant registered by a trainer"),
    "courses.workshop_check_in": _l("Participant checked in"),
    "courses.workshop_absent": _l("Participants recorded absent"),
    "courses.workshop_paper_test": _l("Paper test answers entered"),
    "courses.attendance_certificate_issued": _l("Certificate of attendance issued"),
}

FLAG_LABELS = {
    ("is_registration_open", True): _l("Registration opened"),
    ("is_registration_open", False): _l("Registration closed"),
    ("is_pre_test_open", True): _l("Online pre-test opened"),
    ("is_pre_test_open", False): _l("Online pre-test closed"),
    ("is_post_test_open", True): _l("Online post-test opened"),
    ("is_post_test_open", False): _l("Online post-test closed"),
    ("is_cancelled", True): _l("Workshop cancelled"),
    ("is_cancelled", False): _l("Cancellation withdrawn"),
}
CHECK_IN_METHODS = {"qr": _l("QR code"), "sheet": _l("attendance sheet"), "manual": _l("by hand")}


def action_details(action: str, details: dict) -> Markup | None:
    """What a trainer can read of a module action's details (a version, a language, a file, a step's
    short name, a direction, a waiver's reason); identifiers and checksums stay in the stored entry.
    Markup, its typed parts escaped once: a page escaping it again would show "&#39;" for an apostrophe."""
    if action not in ACTION_LABELS:
        return None
    parts = []
    if details.get("person"):  # added from the participant or user id by courses.services.audit
        parts.append(details["person"])
    if details.get("role") in ROLE_LABELS:
        parts.append(ROLE_LABELS[details["role"]])
    if "version" in details:
        parts.append(_("Version %(n)s", n=details["version"]))
    if details.get("slug"):
        parts.append(details["slug"])
    if details.get("language"):
        parts.append(language_name(details["language"]))
    if details.get("filename"):
        parts.append(details["filename"])
    if action.startswith("courses.kit_part_") and details.get("kind") in PART_LABELS:
        parts.append(PART_LABELS[details["kind"]])
    if action == "courses.kit_question_added" and details.get("kind") in KIND_LABELS:
        parts.append(KIND_LABELS[details["kind"]])
    if action == "courses.kit_copied" and details.get("region"):
        parts.append(details["region"])
    if action == "courses.workshop_flags":
        parts += [FLAG_LABELS[k, v] for k, v in details.items() if (k, v) in FLAG_LABELS]
    if details.get("method") in CHECK_IN_METHODS:
        parts.append(CHECK_IN_METHODS[details["method"]])
    if details.get("phase") in TEST_PHASES:
        parts.append(phase_label(details["phase"]))
    if action in ("courses.workshop_participants_imported", "courses.workshop_participant_registered"):
        parts.append(ngettext("%(num)s registered", "%(num)s registered", details.get("registered", 0)))
        parts.append(
            ngettext(
                "%(num)s account created", "%(num)s accounts created", details.get("accounts_created", 0)
            )
        )
    if details.get("direction") in ("up", "down"):
        parts.append(_("Moved up") if details["direction"] == "up" else _("Moved down"))
    if action == "courses.package_imported" and "created" in details:
        parts.append(_("New module") if details["created"] else _("Draft of an existing module replaced"))
    if action == "courses.kit_package_imported" and "created" in details:
        parts.append(_("New kit") if details["created"] else _("Draft of an existing kit replaced"))
    if details.get("reason"):
        parts.append(details["reason"])
    return details_text(parts)


register(ACTION_LABELS, action_details)
