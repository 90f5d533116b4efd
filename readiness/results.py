"""Results: scoring an assessment, its recommendations (resolved through the core registry), stored
results (never overwritten), the trend against the previous cycle (:mod:`readiness.trend`), the
one-step enrolment in the learning path and advisory service requests. Services: flush only."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import select

from lms.countries import country_name
from lms.db import db, utcnow
from lms.mail import queue_mail
from lms.models import User, audit
from lms.registry import find_resources, get_resource
from lms.signals import enrolment_requested, progress_requested
from readiness import catalog, permissions
from readiness import rules as rmod
from readiness.answers import answer_values
from readiness.base import TARGET, ReadinessError, questionnaire_for
from readiness.models import ADVISORY_STATUSES, AdvisoryRequest, Assessment, Result
from readiness.scoring import SCORING_VERSION, Profile, score_assessment
from readiness.trend import previous_assessment, trend  # noqa: F401  (re-exported: part of the results)


def _resource_dict(res, team_language: str) -> dict:
    return {
        "type": "resource",
        "kind": res.kind,
        "key": res.key,
        "titles": dict(res.titles),
        "url": res.url,
        "languages": list(res.languages or []),
        "articles": list(res.articles or []),
        "in_team_language": res.has_language(team_language),
    }


def make_resolver(ruleset: rmod.RuleSet, team_language: str):
    """A resolver for :func:`readiness.rules.recommend` backed by the core registry."""

    def resolve(entry: dict) -> list[dict]:
        ((kind, spec),) = entry.items()
        if kind == "service":
            service = ruleset.services[spec]
            res = get_resource("advisory", f"readiness-{service.id}")
            return [
                {
                    "type": "service",
                    "id": service.id,
                    "titles": dict(service.title),
                    "url": f"/readiness/services#{service.id}",
                    "languages": sorted(service.title),
                    "in_team_language": team_language in service.title,
                    "is_published": res is not None and res.is_published,
                }
            ]
        limit = spec.get("limit", 1 if kind == "resource" else 3)
        if kind == "resource":
            res = get_resource(spec["kind"], spec["key"])
            found = [res] if res is not None and res.is_published else []
        elif kind == "resources":
            found = find_resources(kinds=spec.get("kinds") or None, articles=spec["articles"])
            # resources in the team's language first, then the rest
            found.sort(key=lambda r: (not r.has_language(team_language), r.kind, r.id))
        else:
            needle = spec["text"].casefold()
            found = [
                r
                for r in find_resources(kinds=spec.get("kinds") or None)
                if any(needle in (t or "").casefold() for t in r.titles.values())
            ]
            found.sort(key=lambda r: (not r.has_language(team_language), r.kind, r.id))
        found = [r for r in found if r.kind != "advisory"]
        return [_resource_dict(r, team_language) for r in found[:limit]]

    return resolve


def compute(assessment: Assessment, *, today: date | None = None) -> tuple[Profile, list[dict], str]:
    """Score the current answers and work out the recommendations (nothing is stored). Returns the
    profile, the recommendations and the rules version used."""
    q = questionnaire_for(assessment)
    answers = answer_values(assessment)
    profile = score_assessment(q, answers)
    rules_row = catalog.current_ruleset_row()
    try:
        ruleset = catalog.ruleset_for(rules_row, assessment.questionnaire_version)
    except Exception:  # noqa: BLE001 - rules written for another questionnaire version: no advice
        return profile, [], "none"
    recs = rmod.recommend(
        ruleset, q, answers, profile, make_resolver(ruleset, assessment.language), today or utcnow().date()
    )
    return profile, recs, ruleset.version


def store_result(assessment: Assessment, *, trigger: str, today: date | None = None) -> Result:
    """Score and store a new result row (earlier rows stay as they were)."""
    profile, recs, rules_version = compute(assessment, today=today)
    result = Result(
        assessment_id=assessment.id,
        questionnaire_version=assessment.questionnaire_version.version,
        scoring_version=SCORING_VERSION,
        rules_version=rules_version,
        trigger=trigger,
        profile=profile.to_dict(),
        recommendations=recs,
        answers=answer_values(assessment),
    )
    db.session.add(result)
    db.session.flush()
    return result


def latest_result(assessment: Assessment) -> Result | None:
    return db.session.scalar(
        select(Result).filter_by(assessment_id=assessment.id).order_by(Result.id.desc()).limit(1)
    )


def rescore(assessment: Assessment, actor: User | None = None) -> Result | None:
    """Score a submitted assessment again with the current scoring and rules; adds a result only when
    the versions differ from the latest stored one (the stored result is never overwritten)."""
    if assessment.state not in ("submitted", "acknowledged"):
        return None
    last = latest_result(assessment)
    rules_version = catalog.current_ruleset_row().version
    if last is not None and (last.scoring_version, last.rules_version) == (SCORING_VERSION, rules_version):
        return None
    result = store_result(assessment, trigger="rescored")
    audit(actor, "readiness.rescored", TARGET, assessment.uuid, result=result.uuid)
    return result


# --- learning path and advice ------------------------------------------------------------------------


def learning_path(result: Result) -> list[dict]:
    return [r for r in result.recommendations if r.get("type") == "resource"]


def path_progress(user: User, result: Result) -> dict[tuple[str, str], str]:
    """``{(kind, key): "enrolled" | "completed"}`` as the owning plugins report it."""
    resources = [get_resource(r["kind"], r["key"]) for r in learning_path(result)]
    resources = [r for r in resources if r is not None]
    status: dict[tuple[str, str], str] = {}
    if not resources:
        return status
    by_id = {r.id: r for r in resources}
    for _receiver, reply in progress_requested.send(user, resources=resources):
        for rid, state in (reply or {}).items():
            if rid in by_id:
                status[(by_id[rid].kind, by_id[rid].key)] = state
    return status


def _path_resources(result: Result):
    """The path's resources still published, with their recommendations (withdrawn ones are skipped)."""
    for rec in learning_path(result):
        res = get_resource(rec["kind"], rec["key"])
        if res is not None and res.is_published:
            yield rec, res


def path_left_to_enrol(result: Result, progress: dict[tuple[str, str], str]) -> bool:
    """Whether some published resource of the path is neither enrolled in nor completed (``progress``:
    :func:`path_progress`); a resource withdrawn since is not counted, as :func:`enrol_in_path` skips it."""
    return any((rec["kind"], rec["key"]) not in progress for rec, _res in _path_resources(result))


def enrol_in_path(assessment: Assessment, user: User, result: Result) -> tuple[int, int]:
    """Ask the owning plugins to enrol ``user`` in every course (and other enrollable resource) of the
    path. Returns ``(accepted, requested)``."""
    if not permissions.is_team(user, assessment):
        raise ReadinessError(_("Only members of the country team can enrol in its learning path."))
    accepted = requested = 0
    for _rec, res in _path_resources(result):
        requested += 1
        replies = enrolment_requested.send(res, user=user, source="readiness")
        if any(reply is True for _receiver, reply in replies):
            accepted += 1
    audit(user, "readiness.path_enrolled", TARGET, assessment.uuid, accepted=accepted, requested=requested)
    return accepted, requested


OPEN_ADVICE = ("requested", "accepted", "in_progress")  # a request in these states blocks a new one


def open_advice_services(assessment: Assessment) -> set[str]:
    """The services with an open request for ``assessment`` (they cannot be requested again yet)."""
    return set(
        db.session.scalars(
            select(AdvisoryRequest.service_id).where(
                AdvisoryRequest.assessment_id == assessment.id, AdvisoryRequest.status.in_(OPEN_ADVICE)
            )
        )
    )


def request_advice(assessment: Assessment, actor: User, service_id: str, message: str) -> AdvisoryRequest:
    if not permissions.can_request_advice(actor, assessment):
        raise ReadinessError(_("The coordinator can request advice once the assessment is submitted."))
    services = catalog.services_for(assessment.questionnaire_version)
    if service_id not in services:
        raise ReadinessError(_("Unknown advisory service."), field="service")
    message = (message or "").strip()
    if len(message) > 2000:
        raise ReadinessError(_("The message is longer than %(n)s characters.", n=2000), field="message")
    if service_id in open_advice_services(assessment):
        raise ReadinessError(_("This service has already been requested and is open."), field="service")
    req = AdvisoryRequest(
        assessment_id=assessment.id, service_id=service_id, message=message, requested_by_id=actor.id
    )
    db.session.add(req)
    db.session.flush()
    audit(actor, "readiness.advice_requested", TARGET, assessment.uuid, service=service_id, request=req.uuid)
    _notify_secretariat(assessment, services[service_id])
    return req


def _notify_secretariat(assessment: Assessment, service) -> None:
    """Tell the secretariat (every active admin) that a request is waiting in the queue."""
    from flask import current_app
    from flask_babel import force_locale

    from readiness.questionnaire import pick

    link = f"{current_app.config['BASE_URL'].rstrip('/')}/readiness/secretariat#requests"
    admins = db.session.scalars(
        select(User).where(User.role == "admin", User.deleted_dt.is_(None), User.is_active_account.is_(True))
    )
    for admin in admins:
        with force_locale(admin.locale or "en"):
            title = pick(service.title, admin.locale or "en")[0]
            subject = _("Advisory service requested: %(service)s", service=title)
            body = _(
                "%(country)s (%(cycle)s) requests the advisory service “%(service)s”.\n\n%(link)s",
                country=country_name(assessment.country_code, admin.locale or "en"),
                cycle=assessment.cycle,
                service=title,
                link=link,
            )
        queue_mail(admin.email, subject, body)


def advisory_requests(assessment: Assessment | None = None) -> list[AdvisoryRequest]:
    stmt = select(AdvisoryRequest).order_by(AdvisoryRequest.created_dt.desc(), AdvisoryRequest.id.desc())
    if assessment is not None:
        stmt = stmt.where(AdvisoryRequest.assessment_id == assessment.id)
    return list(db.session.scalars(stmt))


def update_advice(req: AdvisoryRequest, actor: User, status: str, response: str) -> None:
    from flask import current_app
    from flask_babel import force_locale

    if not permissions.is_secretariat(actor):
        raise ReadinessError(_("Only the secretariat handles advisory requests."))
    if status not in ADVISORY_STATUSES:
        raise ReadinessError(_("Unknown status."), field="status")
    response = (response or "").strip()
    if len(response) > 2000:
        raise ReadinessError(_("The message is longer than %(n)s characters.", n=2000), field="response")
    req.status, req.response, req.handled_by_id = status, response, actor.id
    db.session.flush()
    audit(actor, "readiness.advice_updated", TARGET, req.assessment.uuid, request=req.uuid, status=status)
    requester = req.requested_by
    if requester is not None and requester.is_active:
        with force_locale(requester.locale or "en"):
            subject = status_subject(status)
            body = _(
                "The secretariat updated your request.\n\n%(response)s\n\n%(link)s",
                response=response,
                link=f"{current_app.config['BASE_URL'].rstrip('/')}/readiness/a/{req.assessment.uuid}/result",
            )
        queue_mail(requester.email, subject, body)


def status_subject(status: str) -> str:
    """The subject of the mail telling the requester the new status: one whole sentence per status, so
    that every language can make it agree."""
    return {
        "requested": _("Your advisory service request has been received"),
        "accepted": _("Your advisory service request has been accepted"),
        "in_progress": _("Your advisory service request is in progress"),
        "done": _("Your advisory service request has been completed"),
        "declined": _("Your advisory service request has been declined"),
    }.get(status, _("Your advisory service request has been updated"))


def status_label(status: str) -> str:
    return {
        "requested": _("requested"),
        "accepted": _("accepted"),
        "in_progress": _("in progress"),
        "done": pgettext("advisory request", "done"),
        "declined": _("declined"),
    }.get(status, status)
