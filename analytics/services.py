"""Analytics services: the feedback loop (was this useful, problem reports and their triage,
end-of-course evaluations) and the receivers of other plugins' signals. Services flush and never
commit; refusals raise :class:`AnalyticsError` with a translated message."""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from analytics.apply import mark_dirty
from analytics.models_feedback import (
    REPORT_CATEGORIES,
    REPORT_STATUSES,
    Certificate,
    Evaluation,
    Feedback,
    ProblemReport,
    Referral,
)
from lms.db import db, utcnow
from lms.mail import queue_mail
from lms.models import User, audit
from lms.registry import KINDS, LearningResource, get_resource

# Pages that are not registry resources but take feedback too (a readiness assessment result).
EXTRA_KINDS = ("readiness",)
_REF = re.compile(r"^([a-z_]{1,30}):([A-Za-z0-9_.\-]{1,120})$")
_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,59}(/[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}){0,3}$")
EVALUATION_KINDS = ("course", "kit")
MAX_COMMENT = 2000


class AnalyticsError(ValueError):
    """Input refused; ``str(exc)`` is a translated message for the user."""


def parse_resource(ref: str | None, part: str | None = None) -> tuple[str, str, str, LearningResource | None]:
    """``(kind, key, part, registry resource)`` from ``"kind:key"`` (+ an optional part such as
    ``lesson/<uuid>``); refuses unknown resources."""
    m = _REF.match((ref or "").strip())
    if not m:
        raise AnalyticsError(_("The page this is about is missing or malformed."))
    kind, key = m.group(1), m.group(2)
    part = (part or "").strip()
    if part and not _PART.match(part):
        raise AnalyticsError(_("The part of the page this is about is malformed."))
    if kind in EXTRA_KINDS:
        return kind, key, part, None
    if kind not in KINDS:
        raise AnalyticsError(_("Unknown kind of resource “%(kind)s”.", kind=kind))
    res = get_resource(kind, key)
    if res is None:
        raise AnalyticsError(_("This resource does not exist (any more)."))
    return kind, key, part, res


def _clean_text(text: str | None, limit: int) -> str:
    text = (text or "").replace("\x00", "").strip()
    if len(text) > limit:
        raise AnalyticsError(_("Please keep the text under %(n)d characters.", n=limit))
    return text


def record_feedback(
    *, resource: str, part: str | None, is_useful: bool, comment: str | None, language: str, user: User | None
) -> Feedback:
    kind, key, part, _res = parse_resource(resource, part)
    row = Feedback(
        kind=kind,
        key=key,
        part=part,
        language=(language or "")[:12],
        is_useful=bool(is_useful),
        comment=_clean_text(comment, MAX_COMMENT),
        user_id=user.id if user else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def report_problem(
    *,
    resource: str,
    part: str | None,
    category: str,
    description: str | None,
    email: str | None,
    language: str,
    user: User | None,
) -> ProblemReport:
    kind, key, part, _res = parse_resource(resource, part)
    if category not in REPORT_CATEGORIES:
        raise AnalyticsError(_("Choose what kind of problem it is."))
    description = _clean_text(description, 4000)
    email = (email or "").strip() or None
    if email and (len(email) > 254 or not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email)):
        raise AnalyticsError(_("The e-mail address does not look right."))
    row = ProblemReport(
        kind=kind,
        key=key,
        part=part,
        language=(language or "")[:12],
        category=category,
        description=description,
        reporter_email=None if user else email,
        user_id=user.id if user else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def save_evaluation(
    *,
    user: User,
    resource: str,
    relevance: int,
    clarity: int,
    language_quality: int,
    suggestions: str | None,
    language: str,
) -> Evaluation:
    kind, key, _part, _res = parse_resource(resource)
    if kind not in EVALUATION_KINDS:
        raise AnalyticsError(_("Only modules and workshop kits have a final evaluation."))
    scores = (relevance, clarity, language_quality)
    if any(not isinstance(s, int) or not 1 <= s <= 5 for s in scores):
        raise AnalyticsError(_("Each rating is a number from 1 to 5."))
    row = db.session.scalar(select(Evaluation).filter_by(user_id=user.id, kind=kind, key=key))
    if row is None:
        row = Evaluation(user_id=user.id, kind=kind, key=key)
        db.session.add(row)
    row.relevance, row.clarity, row.language_quality = scores
    row.suggestions = _clean_text(suggestions, MAX_COMMENT)
    row.language = (language or "")[:12]
    row.updated_dt = utcnow()
    db.session.flush()
    return row


def set_report_status(report: ProblemReport, *, status: str, note: str | None, actor: User) -> bool:
    """Move a report through triage; when it becomes ``fixed`` the reporter (if known) is mailed once.
    Returns whether a mail was queued."""
    if status not in REPORT_STATUSES:
        raise AnalyticsError(_("Unknown status."))
    old = report.status
    report.status = status
    report.resolution_note = _clean_text(note, 4000)
    report.handled_by_id = actor.id
    report.updated_dt = utcnow()
    audit(actor, "analytics.report_status", "analytics_report", report.uuid, old=old, new=status)
    mailed = False
    if status == "fixed" and old != "fixed" and report.notified_dt is None:
        mailed = _notify_fixed(report)
    db.session.flush()
    return mailed


def _notify_fixed(report: ProblemReport) -> bool:
    recipient, locale = report.reporter_email, report.language or "en"
    if report.user_id:
        user = db.session.get(User, report.user_id)
        if user is not None and user.is_active:
            recipient, locale = user.email, user.locale or locale
    if not recipient:
        return False
    res = get_resource(report.kind, report.key)
    if locale not in current_app.config["LANGUAGES"]:
        locale = "en"
    with force_locale(locale):
        title = res.title(locale) if res is not None else f"{report.kind}:{report.key}"
        url = current_app.config["BASE_URL"].rstrip("/") + (res.url if res is not None else "/")
        subject = _("The problem you reported is fixed")
        body = _(
            "Thank you for reporting a problem with “%(title)s” on %(site)s. It has now been fixed.\n\n"
            "%(note)s\n\n%(url)s",
            title=title,
            site=current_app.config["SITE_NAME"],
            note=report.resolution_note or "",
            url=url,
        )
    queue_mail(recipient, str(subject), str(body))
    report.notified_dt = utcnow()
    return True


# -- receivers of other plugins' signals (connected in analytics.plugin) -------------------------------
def on_certificate_issued(sender, *, user=None, resource=None, verification_code=None, **_kw) -> None:
    if user is None or resource is None or not verification_code:
        return
    code = str(verification_code)[:80]
    if db.session.scalar(select(Certificate.id).filter_by(verification_code=code)) is not None:
        return
    from lms.models import Country

    country = user.country_code or ""
    region = db.session.scalar(select(Country.region).filter_by(code=country)) if country else ""
    db.session.add(
        Certificate(
            verification_code=code,
            user_id=user.id,
            kind=resource.kind,
            key=resource.key,
            language=user.locale or "",
            country_code=country,
            region=region or "",
            issued_dt=utcnow(),
        )
    )
    mark_dirty("certificates", resource.kind, resource.key)  # open data counts it from the next run
    db.session.flush()


def on_enrolment_requested(sender, *, user=None, source=None, **_kw) -> None:
    """Remember the referral (the "recommended" step of the readiness funnel); enrols nobody."""
    if user is None or sender is None:
        return
    src = str(source or "")[:40]
    if (
        db.session.scalar(
            select(Referral.id).filter_by(user_id=user.id, kind=sender.kind, key=sender.key, source=src)
        )
        is not None
    ):
        return None
    db.session.add(
        Referral(
            user_id=user.id,
            kind=sender.kind,
            key=sender.key,
            source=src,
            country_code=user.country_code or "",
        )
    )
    db.session.flush()
    return None


def on_user_deleted(sender, *, pseudonym=None, **_kw) -> None:
    """Detach a deleted user's feedback, reports, evaluations, certificates and referrals from them,
    erase their free-text comments and contact e-mail, and move their rollup rows to the pseudonym the
    LRS gives their statements; aggregates keep counting the rows."""
    from sqlalchemy import update

    from analytics.models import LearnerProgress

    uid = sender.id
    if pseudonym:
        _rekey_actor(sender, str(pseudonym))
    db.session.execute(update(Feedback).where(Feedback.user_id == uid).values(user_id=None, comment=""))
    db.session.execute(
        update(Evaluation).where(Evaluation.user_id == uid).values(user_id=None, suggestions="")
    )
    for model in (Certificate, Referral, LearnerProgress):
        db.session.execute(update(model).where(model.user_id == uid).values(user_id=None))
    db.session.execute(
        update(ProblemReport).where(ProblemReport.user_id == uid).values(user_id=None, reporter_email=None)
    )
    db.session.flush()


def _rekey_actor(user: User, pseudonym: str) -> None:
    """The rollups key learners by the xAPI actor key; follow the LRS's rewrite to the pseudonym."""
    from sqlalchemy import update

    from analytics.models import (
        ActiveActor,
        ChildReach,
        ItemResponse,
        LearnerProgress,
        VideoSession,
        VideoViewer,
    )
    from lms.xapi.agents import actor_for
    from lms.xapi.ids import agent_key

    home_page = current_app.config["BASE_URL"]
    old = agent_key(actor_for(user))
    new = agent_key({"objectType": "Agent", "account": {"homePage": home_page, "name": pseudonym}})
    if not old or not new or old == new:
        return
    for model in (ActiveActor, ChildReach, ItemResponse, LearnerProgress, VideoSession, VideoViewer):
        db.session.execute(update(model).where(model.actor_key == old).values(actor_key=new))
