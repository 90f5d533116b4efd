"""Attendance certificates (the module certificates' verification codes, QR codes and signed Open Badges
3.0 credentials, :mod:`courses.services.certificates`) and the participants' feedback after a workshop."""

from __future__ import annotations

import hashlib
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from courses.models_kits import AttendanceCertificate, Participant, Workshop, WorkshopFeedback
from courses.services import certificates as certs
from courses.services.errors import CourseError
from courses.services.kits_snapshot import KitView, get_version
from courses.services.workshops import today
from courses.services.workshops_attendance import ensure_attendance_open
from lms.db import db
from lms.mail import queue_mail
from lms.models import audit
from lms.registry import get_resource
from lms.signals import certificate_issued

MAX_COMMENT = 4000


def certificate_of(participant: Participant) -> AttendanceCertificate | None:
    return db.session.scalar(select(AttendanceCertificate).filter_by(participant_id=participant.id))


def find_by_code(code: str) -> AttendanceCertificate | None:
    return db.session.scalar(select(AttendanceCertificate).filter_by(code=certs.normalise_code(code)))


def _new_code() -> str:
    from courses.models import Certificate

    while True:
        code = certs.new_code()
        taken = db.session.scalar(select(AttendanceCertificate.id).filter_by(code=code)) or db.session.scalar(
            select(Certificate.id).filter_by(code=code)
        )
        if not taken:
            return code


def issue(
    actor, participant: Participant, *, notify: bool = True, on: date | None = None
) -> tuple[AttendanceCertificate, bool]:
    """Issue (once) the attendance certificate of a participant who attended; returns ``(cert, new)``.
    Emits ``certificate_issued`` and (unless ``notify`` is false) mails the participant a link. Refused
    before the workshop's first day (``on`` is today's date unless given)."""
    ensure_attendance_open(participant.workshop, certificates=True, on=on)
    existing = certificate_of(participant)
    if existing is not None:
        return existing, False
    if participant.attended_dt is None:
        raise CourseError(
            _(
                "%(name)s has not been checked in: only participants who attended receive a certificate.",
                name=participant.user.name,
            )
        )
    workshop = participant.workshop
    version = get_version(workshop.kit, workshop.kit_version)
    titles = KitView(version.snapshot, "en").titles() if version is not None else {}
    cert = AttendanceCertificate(
        code=_new_code(),
        participant=participant,
        workshop_id=workshop.id,
        user_id=participant.user_id,
        participant_name=participant.user.name,
        workshop_title=workshop.title,
        kit_titles=titles,
        start_date=workshop.start_date,
        end_date=workshop.end_date,
        city=workshop.city,
        country_code=workshop.country_code,
        issued_by_id=actor.id if actor is not None else None,
    )
    db.session.add(cert)
    db.session.flush()
    certificate_issued.send(
        "courses",
        user=participant.user,
        resource=get_resource("workshop", workshop.uuid),
        verification_code=cert.code,
    )
    if notify:
        _mail(cert)
    audit(
        actor,
        "courses.attendance_certificate_issued",
        "workshop",
        workshop.uuid,
        participant=participant.uuid,
    )
    return cert, True


def issue_all(actor, workshop: Workshop, *, notify: bool = True, on: date | None = None) -> int:
    """Issue the certificates of every participant who attended and has none yet; returns how many.
    Refused whole before the workshop's first day (``on`` is today's date unless given)."""
    if workshop.is_cancelled:
        raise CourseError(_("This workshop is cancelled."))
    ensure_attendance_open(workshop, certificates=True, on=on)
    return sum(
        1
        for p in workshop.participants
        if p.attended_dt is not None and issue(actor, p, notify=notify, on=on)[1]
    )


def _mail(cert: AttendanceCertificate) -> None:
    from lms.account.mails import external_url

    user = cert.user
    link = external_url("courses.attendance_certificate", cert_uuid=cert.uuid)
    with force_locale(user.locale or "en"):
        subject = _("Your certificate of attendance: %(title)s", title=cert.workshop_title)
        body = _(
            'Hello %(name)s,\n\nYour certificate of attendance of the workshop "%(title)s" is ready:\n'
            "%(link)s\n\nVerification code: %(code)s",
            name=cert.participant_name,
            title=cert.workshop_title,
            link=link,
            code=cert.code,
        )
    queue_mail(user.email, subject, body)


def verification_url(cert: AttendanceCertificate) -> str:
    return f"{certs.base_url()}/courses/workshops/verify/{cert.code}"


def kit_title(cert: AttendanceCertificate, language: str) -> tuple[str, str]:
    """The kit's title frozen on ``cert`` in ``language``, else in English, else in any language it has:
    ``(title, the title's language)``, so that a page can mark a title that is not in its own language."""
    for code in (language, "en"):
        if cert.kit_titles.get(code):
            return cert.kit_titles[code], code
    return next(((title, code) for code, title in cert.kit_titles.items() if title), ("", language))


def badge_credential(cert: AttendanceCertificate) -> dict:
    """The certificate as an OpenBadgeCredential signed like the module certificates (Ed25519,
    ``eddsa-jcs-2022``, the issuer profile's key). The holder is identified by a salted hash of their
    pseudonymous account id, never the e-mail."""
    base = certs.base_url()
    salt = hashlib.sha256(f"{cert.uuid}:{current_app.config['SECRET_KEY']}".encode()).hexdigest()[:16]
    identity = "sha256$" + hashlib.sha256((cert.user.uuid + salt).encode()).hexdigest()
    issued = cert.issued_dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    badge_kit_title = kit_title(cert, "en")[0] or cert.workshop_title
    document = {
        "@context": certs.OB_CONTEXT,
        "id": f"{base}/courses/workshops/certificates/{cert.uuid}/badge.json",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": certs.issuer_id(),
            "type": ["Profile"],
            "name": certs.ISSUER_NAME,
            "url": base + "/",
        },
        "validFrom": issued,
        "name": cert.workshop_title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": cert.participant_name,
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity,
                    "identityType": "identifier",
                    "hashed": True,
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": f"{base}/courses/workshops/{cert.workshop.uuid}#achievement",
                "type": ["Achievement"],
                "achievementType": "Achievement",
                "name": cert.workshop_title,
                "description": f"{badge_kit_title} — {cert.city}, {cert.start_date.isoformat()} / "
                f"{cert.end_date.isoformat()}",
                "criteria": {"narrative": "Attended the in-person workshop (checked in by the facilitator)."},
            },
        },
        "evidence": [{"id": verification_url(cert), "type": ["Evidence"], "name": "Verification page"}],
    }
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": issued,
        "verificationMethod": f"{certs.issuer_id()}#key-1",
        "proofPurpose": "assertionMethod",
    }
    signature = certs._signing_key().sign(certs._hash_data(document, proof))
    return dict(document, proof=dict(proof, proofValue="z" + certs.base58btc(signature)))


# Feedback ------------------------------------------------------------------------------------------------


def can_give_feedback(participant: Participant | None, on: date | None = None) -> bool:
    if participant is None or participant.workshop.is_cancelled:
        return False
    return participant.attended_dt is not None or participant.workshop.end_date <= (on or today())


def feedback_of(participant: Participant) -> WorkshopFeedback | None:
    return db.session.scalar(select(WorkshopFeedback).filter_by(participant_id=participant.id))


def give_feedback(participant: Participant, *, rating, comment: str = "") -> WorkshopFeedback:
    """Save (or change) a participant's rating (1 to 5) and comment, once they attended or the workshop
    is over."""
    if not can_give_feedback(participant):
        raise CourseError(_("Feedback opens once you have been checked in or the workshop is over."))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise CourseError(_("Choose a rating from 1 to 5."))
    comment = (comment or "").strip().replace("\r\n", "\n")
    if len(comment) > MAX_COMMENT:
        raise CourseError(_("The comment is too long (at most %(n)s characters).", n=MAX_COMMENT))
    row = feedback_of(participant)
    if row is None:
        row = WorkshopFeedback(
            participant_id=participant.id, workshop_id=participant.workshop_id, rating=rating
        )
        db.session.add(row)
    row.rating, row.comment = rating, comment
    db.session.flush()
    return row


def feedback_summary(workshop: Workshop) -> dict:
    """Count, mean rating, the number of each rating, and the comments (newest first, without names)."""
    rows = db.session.scalars(
        select(WorkshopFeedback)
        .filter_by(workshop_id=workshop.id)
        .order_by(WorkshopFeedback.created_dt.desc(), WorkshopFeedback.id.desc())
    ).all()
    counts = dict.fromkeys(range(1, 6), 0)
    for row in rows:
        counts[row.rating] += 1
    total = len(rows)
    mean = db.session.scalar(select(func.avg(WorkshopFeedback.rating)).filter_by(workshop_id=workshop.id))
    return {
        "count": total,
        "mean": round(float(mean), 1) if mean is not None else None,
        "counts": counts,
        "percent": {k: round(100 * v / total) if total else 0 for k, v in counts.items()},
        "comments": [(r.rating, r.comment, r.created_dt) for r in rows if r.comment],
    }
