"""webinars: questions and answers. The archived live Q&A is imported from the webinar tool's CSV
report (askers anonymised unless they consented); follow-up questions by signed-in attendees go to a
moderation queue, trainers publish, answer or reject them, the asker is told by mail (outbox), and
attendees upvote published questions."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from lms.config import LANGUAGES
from lms.db import db, utcnow
from lms.mail import queue_mail
from lms.models import User, audit
from lms.xapi import activity_iri, record_statement
from webinars import csvfile
from webinars.errors import WebinarError
from webinars.models import QAItem, QAVote, WebinarSession
from webinars.publishing import content_changed, session_url
from webinars.settings import setting
from webinars.team import managed_sessions_filter

QA_ALIASES = {
    "question": ("question", "questions", "question text", "question asked", "q"),
    "asker": (
        "asker",
        "asker name",
        "asked by",
        "name",
        "attendee",
        "attendee name",
        "participant",
        "participant name",
        "from",
    ),
    "answer": ("answer", "answers", "answer text", "response", "a"),
    "answered_by": ("answered by", "answerer", "answered by name", "expert", "responder", "panelist"),
    "time": ("time", "question time", "asked at", "time asked", "timestamp", "asked", "at"),
    "consent": (
        "consent",
        "consented",
        "consent to publish name",
        "publish name",
        "show name",
        "name may be published",
    ),
    "language": ("language", "lang", "langue", "idioma"),
}


def import_qa_csv(actor: User | None, session: WebinarSession, data: bytes) -> int:
    """Replace the session's archived live Q&A by the rows of ``data``. Every bad row is reported
    (``WebinarError.details``) and the whole file is refused; returns the number imported."""
    rows = csvfile.read_rows(data, QA_ALIASES, ("question",), setting("WEBINARS_MAX_CSV_KB") * 1024)
    problems: list[str] = []
    items: list[QAItem] = []
    max_seconds = session.duration_min * 60
    for line, row in rows:
        reasons = []
        question = row.get("question", "")
        if not question:
            reasons.append(_("the question is empty"))
        elif len(question) > setting("WEBINARS_QUESTION_MAX_CHARS") * 2:
            reasons.append(_("the question is too long"))
        if len(row.get("answer", "")) > setting("WEBINARS_ANSWER_MAX_CHARS"):
            reasons.append(_("the answer is too long"))
        consent = csvfile.parse_bool(row.get("consent", ""))
        if consent is None:
            reasons.append(_("consent must be yes or no, not “%(value)s”", value=row.get("consent")))
        offset = csvfile.parse_offset(row.get("time", ""), session.runs(), max_seconds)
        if isinstance(offset, str):
            reasons.append(offset)
        lang = row.get("language", "").lower() or None
        if lang and lang not in LANGUAGES:
            reasons.append(_("unknown language “%(code)s”", code=lang))
        if reasons:
            problems.append(_("row %(n)s: %(reasons)s", n=line, reasons="; ".join(reasons)))
            continue
        asker = row.get("asker", "")[:200] if consent else None
        answer = row.get("answer", "") or None
        items.append(
            QAItem(
                session_id=session.id,
                source="live",
                status="published",
                language=lang or session.source_language,
                question=question,
                asker_name=asker or None,
                answer=answer,
                answered_by=(row.get("answered_by", "")[:200] or None) if answer else None,
                time_s=offset,
                answered_dt=utcnow() if answer else None,
            )
        )
    if problems:
        raise WebinarError(_("The Q&A file was refused; nothing was imported:"), problems[:50])
    old = db.session.scalars(select(QAItem).where(QAItem.session_id == session.id, QAItem.source == "live"))
    for item in old:
        db.session.delete(item)
    db.session.flush()
    db.session.add_all(items)
    db.session.flush()
    audit(actor, "webinars.qa.import", "webinars_session", session.uuid, rows=len(items))
    content_changed(session)
    return len(items)


def _weight(text: str) -> int:
    """The length of ``text`` with wide (Chinese, Japanese, Korean) characters counted as two, since
    one of them says about as much as two Latin letters or more."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def ask_question(
    user: User, session: WebinarSession, text: str, language: str, time_s: int | None = None
) -> QAItem:
    """A follow-up question, held for moderation. Length and rate limits apply; a session cancelled
    before any of its runs took place takes none."""
    if not session.is_published:
        raise WebinarError(_("Questions can only be asked about published sessions."))
    if session.is_cancelled and not session.is_partly_held:
        raise WebinarError(_("This session was cancelled: questions about it are closed."))
    text = " ".join((text or "").split()) if "\n" not in (text or "") else (text or "").strip()
    low, high = setting("WEBINARS_QUESTION_MIN_CHARS"), setting("WEBINARS_QUESTION_MAX_CHARS")
    if not (low <= _weight(text) and len(text) <= high):
        raise WebinarError(_("A question has %(low)s to %(high)s characters.", low=low, high=high))
    if language not in LANGUAGES:
        language = session.source_language
    if time_s is not None and not 0 <= int(time_s) <= session.duration_min * 60:
        time_s = None
    count, seconds = setting("WEBINARS_QUESTION_RATE")
    since = utcnow() - timedelta(seconds=int(seconds))
    recent = db.session.scalar(
        select(func.count(QAItem.id)).where(
            QAItem.user_id == user.id, QAItem.source == "followup", QAItem.created_dt >= since
        )
    )
    if recent >= int(count):
        raise WebinarError(
            _("You have asked %(n)s questions recently; please wait before asking another.", n=recent)
        )
    duplicate = db.session.scalar(
        select(QAItem.id).where(
            QAItem.user_id == user.id, QAItem.session_id == session.id, QAItem.question == text
        )
    )
    if duplicate is not None:
        raise WebinarError(_("You have already asked this question."))
    item = QAItem(
        session_id=session.id,
        source="followup",
        status="pending",
        language=language,
        question=text,
        user_id=user.id,
        time_s=time_s,
    )
    db.session.add(item)
    db.session.flush()
    record_statement(
        user=user,
        verb="asked",
        activity_id=activity_iri("webinar", session.uuid, "qa", item.uuid),
        activity_type="discussion",
        activity_name={language: text[:100]},
        parents=[activity_iri("webinar", session.uuid)],
        language=language,
        result={"response": text[:1000]},
    )
    return item


def moderation_queue(manager: User | None = None) -> list[QAItem]:
    """Follow-up questions waiting for a trainer, and published ones not yet answered; with
    ``manager``, only those of the sessions that user manages."""
    stmt = select(QAItem).where(
        QAItem.source == "followup",
        (QAItem.status == "pending") | ((QAItem.status == "published") & QAItem.answer.is_(None)),
    )
    if manager is not None:
        stmt = stmt.join(WebinarSession, WebinarSession.id == QAItem.session_id).where(
            managed_sessions_filter(manager)
        )
    return list(db.session.scalars(stmt.order_by(QAItem.created_dt).options(joinedload(QAItem.session))))


def moderate(moderator: User, item: QAItem, *, action: str, answer: str = "", answered_by: str = "") -> None:
    """``action``: ``publish`` (optionally with an answer), ``answer`` (publish with an answer, required)
    or ``reject``. The asker is told by mail when their question is answered."""
    if action not in ("publish", "answer", "reject"):
        raise WebinarError(_("Unknown moderation action."), field="action")
    answer = (answer or "").strip()
    if action == "answer" and not answer:
        raise WebinarError(_("Write the answer before publishing it."), field="answer")
    if len(answer) > setting("WEBINARS_ANSWER_MAX_CHARS"):
        raise WebinarError(
            _("The answer is too long (at most %(n)s characters).", n=setting("WEBINARS_ANSWER_MAX_CHARS")),
            field="answer",
        )
    newly_answered = bool(answer) and not item.answer
    item.moderated_by_id = moderator.id
    if action == "reject":
        item.status = "rejected"
    else:
        item.status = "published"
        if answer:
            item.answer = answer
            item.answered_by = (answered_by or "").strip()[:200] or moderator.name
            item.answered_dt = utcnow()
    db.session.flush()
    audit(moderator, f"webinars.qa.{action}", "webinars_qa_item", item.uuid)
    if newly_answered and item.status == "published":
        _tell_asker(item)
    content_changed(item.session)


def _tell_asker(item: QAItem) -> None:
    asker = db.session.get(User, item.user_id) if item.user_id else None
    if asker is None or asker.deleted_dt is not None:
        return
    lang = asker.locale if asker.locale in LANGUAGES else "en"
    session = item.session
    url = current_app.config["BASE_URL"].rstrip("/") + session_url(session) + f"#qa-{item.uuid}"
    with force_locale(lang):
        subject = _("Your question was answered: %(title)s", title=session.title(lang))
        body = _(
            "Hello %(name)s,\n\nYour question about “%(title)s” has been answered by %(expert)s:\n\n"
            "%(question)s\n\n%(answer)s\n\nRead it on the session page: %(url)s",
            name=asker.name,
            title=session.title(lang),
            expert=item.answered_by or "-",
            question=item.question,
            answer=item.answer,
            url=url,
        )
    queue_mail(asker.email, subject, body)


def toggle_vote(user: User, item: QAItem) -> bool:
    """Upvote a published question (or take the vote back); returns whether the user now votes."""
    if item.status != "published":
        raise WebinarError(_("Only published questions can be upvoted."))
    if item.user_id == user.id:
        raise WebinarError(_("You cannot upvote your own question."))
    vote = db.session.scalar(select(QAVote).filter_by(item_id=item.id, user_id=user.id))
    if vote is None:
        db.session.add(QAVote(item_id=item.id, user_id=user.id))
    else:
        db.session.delete(vote)
    db.session.flush()
    item.upvotes = db.session.scalar(select(func.count(QAVote.id)).where(QAVote.item_id == item.id))
    db.session.flush()
    return vote is None


def published_items(session: WebinarSession) -> list[QAItem]:
    return list(
        db.session.scalars(
            select(QAItem)
            .where(QAItem.session_id == session.id, QAItem.status == "published")
            .order_by(
                QAItem.source,
                QAItem.time_s.is_(None),
                QAItem.time_s,
                QAItem.upvotes.desc(),
                QAItem.created_dt,
            )
        )
    )


def pending_count(user, session: WebinarSession) -> int:
    """How many of ``user``'s follow-up questions about ``session`` wait for a moderator (0 when
    signed out): the page tells the asker, next to the form, that their question was received."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(
        select(func.count(QAItem.id)).where(
            QAItem.user_id == user.id,
            QAItem.session_id == session.id,
            QAItem.source == "followup",
            QAItem.status == "pending",
        )
    )


def voted_ids(user, items: list[QAItem]) -> set[int]:
    if user is None or not getattr(user, "is_authenticated", False) or not items:
        return set()
    return set(
        db.session.scalars(
            select(QAVote.item_id).where(QAVote.user_id == user.id, QAVote.item_id.in_([i.id for i in items]))
        )
    )
