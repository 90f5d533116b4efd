"""Answers: parsing form input, and saving a section per item with optimistic concurrency (a version
number per item; a save that names an older version is returned as a conflict, never written)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select, update

from lms.db import db, utcnow
from lms.models import User
from readiness import permissions
from readiness.base import ReadinessError, questionnaire_for, record_audit
from readiness.models import Answer, Assessment
from readiness.questionnaire import DONT_KNOW, NOT_APPLICABLE, Item

MAX_COMMENT = 2000


@dataclass
class ItemInput:
    item_id: str
    value: object  # parsed answer value or None
    comment: str = ""
    evidence_url: str = ""
    version: int = 0  # the version the editor saw (0: no answer yet)
    original: str | None = None  # fingerprint of what the editor saw; equal input = untouched item


def fingerprint(value, comment: str, evidence_url: str) -> str:
    """A short digest of an item's answer, comment and link as shown in the form."""
    raw = json.dumps([value, comment or "", evidence_url or ""], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def answer_fingerprint(row: Answer | None) -> str:
    return fingerprint(row.answer, row.comment, row.evidence_url) if row else fingerprint(None, "", "")


@dataclass
class Conflict:
    item_id: str
    mine: ItemInput
    theirs: Answer


@dataclass
class SaveOutcome:
    saved: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def answers_of(assessment: Assessment) -> dict[str, Answer]:
    return {a.item_id: a for a in db.session.scalars(select(Answer).filter_by(assessment_id=assessment.id))}


def answer_values(assessment: Assessment) -> dict[str, object]:
    return {k: a.answer for k, a in answers_of(assessment).items() if a.answer is not None}


def parse_value(item: Item, raw, ticked: list[str] | None = None):
    """Turn form input into an answer value (``None``: no answer). Raises :class:`ReadinessError`."""
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if item.type == "checklist":
        ticked = [t for t in (ticked or []) if t]
        if ticked:
            value = (
                sorted(set(ticked), key=[o.id for o in item.options].index)
                if set(ticked) <= {o.id for o in item.options}
                else None
            )
            if value is None:
                raise ReadinessError(_("Question %(item)s: unknown option.", item=item.id))
            return value
        if raw in ("", None):
            return None
        if raw == "none":
            return []
    elif raw in ("", None):
        return None
    if raw in (NOT_APPLICABLE, DONT_KNOW):
        if not item.valid(raw):
            raise ReadinessError(_("Question %(item)s cannot be answered that way.", item=item.id))
        return raw
    value = raw
    if item.type == "rubric":
        value = int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) == 1 else raw
    if not item.valid(value):
        raise ReadinessError(_("Question %(item)s: that answer is not one of the choices.", item=item.id))
    return value


def _clean_url(url: str, item_id: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
        raise ReadinessError(
            _("Question %(item)s: the evidence link must be a web address (http or https).", item=item_id)
        )
    return url


def save_section(
    assessment: Assessment, actor: User, dimension_id: str, inputs: list[ItemInput]
) -> SaveOutcome:
    """Save the changed answers of one section. Every input is checked first, so a bad one refuses the
    whole save. An item saved meanwhile by someone else (its version moved on) is not overwritten but
    returned as a conflict."""
    q = questionnaire_for(assessment)
    dim = q.dimension(dimension_id)
    if dim is None:
        raise ReadinessError(_("Unknown section."))
    if not permissions.can_edit_section(actor, assessment, dimension_id):
        raise ReadinessError(_("You cannot edit this section."))
    dim_items = {it.id: it for it in dim.items}
    for entry in inputs:
        if entry.item_id not in dim_items:
            raise ReadinessError(_("Question %(item)s is not in this section.", item=entry.item_id))
        entry.comment = (entry.comment or "").strip()
        if len(entry.comment) > MAX_COMMENT:
            raise ReadinessError(
                _(
                    "Question %(item)s: the comment is longer than %(n)s characters.",
                    item=entry.item_id,
                    n=MAX_COMMENT,
                )
            )
        entry.evidence_url = _clean_url(entry.evidence_url, entry.item_id)
        if entry.value is not None and not dim_items[entry.item_id].valid(entry.value):
            raise ReadinessError(
                _("Question %(item)s: that answer is not one of the choices.", item=entry.item_id)
            )
    current = answers_of(assessment)
    outcome = SaveOutcome()
    now = utcnow()
    for entry in inputs:
        row = current.get(entry.item_id)
        old = (row.answer, row.comment, row.evidence_url) if row else (None, "", "")
        new = (entry.value, entry.comment, entry.evidence_url)
        if old == new or (entry.original is not None and entry.original == fingerprint(*new)):
            continue  # nothing to save, or the editor left this item as it was shown
        if row is None:
            if entry.version != 0:
                raise ReadinessError(
                    _("Question %(item)s changed meanwhile; reload the page.", item=entry.item_id)
                )
            db.session.add(
                Answer(
                    assessment_id=assessment.id,
                    item_id=entry.item_id,
                    value={"v": entry.value},
                    comment=entry.comment,
                    evidence_url=entry.evidence_url,
                    version=1,
                    updated_by_id=actor.id,
                    updated_dt=now,
                )
            )
        else:
            done = db.session.execute(
                update(Answer)
                .where(Answer.id == row.id, Answer.version == entry.version)
                .values(
                    value={"v": entry.value},
                    comment=entry.comment,
                    evidence_url=entry.evidence_url,
                    version=Answer.version + 1,
                    updated_by_id=actor.id,
                    updated_dt=now,
                )
                .execution_options(synchronize_session=False)
            ).rowcount
            if done != 1:
                db.session.refresh(row)
                outcome.conflicts.append(Conflict(entry.item_id, entry, row))
                continue
            db.session.expire(row)
        outcome.saved.append(entry.item_id)
        record_audit(
            actor,
            "answer_saved",
            assessment,
            item=entry.item_id,
            old=old[0],
            new=entry.value,
            comment_changed=old[1] != entry.comment,
            evidence_changed=old[2] != entry.evidence_url,
        )
    db.session.flush()
    return outcome
