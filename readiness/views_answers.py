"""Answering: one page per section with an explicit save button, per-item conflict handling, and the
review page with notes."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from lms.auth import login_required
from lms.db import db
from lms.i18n import current_language
from readiness import permissions, presenters, scoring, services
from readiness.forms import NoteForm, choices, field_errors, section_form_class
from readiness.questionnaire import SPECIAL
from readiness.views import bp, language_notice, load_assessment


def _fill(form, items, rows) -> None:
    """Put the stored answers into the form (the version numbers too)."""
    for item, names in items:
        row = rows.get(item.id)
        value = row.answer if row else None
        if item.type == "checklist":
            form[names["ticks"]].data = list(value) if isinstance(value, list) else []
            form[names["answer"]].data = value if value in SPECIAL else ("none" if value == [] else "")
        else:
            form[names["answer"]].data = None if value is None else str(value)
        form[names["comment"]].data = row.comment if row else ""
        form[names["evidence"]].data = row.evidence_url if row else ""
        form[names["version"]].data = str(row.version) if row else "0"
        form[names["original"]].data = services.answer_fingerprint(row)


def _inputs(form, items, q, stored: dict, posted) -> list[services.ItemInput]:
    """The posted items, parsed. Skip logic is applied to the stored answers overlaid with the posted
    ones, so a follow-up question answered together with the question it depends on is kept, and one
    that the new answers rule out is left alone."""
    out = []
    for item, names in items:
        if names["version"] not in posted:
            continue  # not on the page the editor saw
        raw_version = form[names["version"]].data or "0"
        if not str(raw_version).isdigit():
            raise services.ReadinessError(_("The form could not be read; please reload the page."))
        ticks = form[names["ticks"]].data if item.type == "checklist" else None
        out.append(
            services.ItemInput(
                item_id=item.id,
                value=services.parse_value(item, form[names["answer"]].data, ticks),
                comment=form[names["comment"]].data or "",
                evidence_url=form[names["evidence"]].data or "",
                version=int(raw_version),
                original=form[names["original"]].data or None,
            )
        )
    merged = dict(stored) | {entry.item_id: entry.value for entry in out}
    visible = scoring.visibility(q, {k: v for k, v in merged.items() if v is not None})
    return [entry for entry in out if visible.get(entry.item_id, True)]


def _render(a, q, dim, form, rows, visible, *, conflicts=None, error=None, status=200):
    lang = current_language()
    dims = [d.id for d in q.dimensions]
    index = dims.index(dim.id)
    return render_template(
        "readiness/section.html",
        a=a,
        q=q,
        dim=dim,
        form=form,
        items=type(form).items,
        rows=rows,
        visible=visible,
        conflicts={c.item_id: c for c in (conflicts or [])},
        error=error,
        can_edit=permissions.can_edit_section(current_user, a, dim.id),
        notice=language_notice(q),
        answer_text=lambda item_id, value: presenters.answer_text(q, item_id, value, lang),
        previous_dim=q.dimensions[index - 1] if index > 0 else None,
        next_dim=q.dimensions[index + 1] if index + 1 < len(dims) else None,
    ), status


@bp.route("/a/<uuid>/section/<dim_id>", methods=["GET", "POST"])
@login_required
def section(uuid, dim_id):
    a = load_assessment(uuid)
    q = services.questionnaire_for(a)
    dim = q.dimension(dim_id)
    if dim is None:
        abort(404)
    form_class = section_form_class(q, dim_id, current_language())
    rows = services.answers_of(a)
    visible = scoring.visibility(q, {k: r.answer for k, r in rows.items() if r.answer is not None})
    wants_json = request.accept_mimetypes.best == "application/json"
    if request.method == "GET":
        form = form_class(formdata=None)
        _fill(form, form_class.items, rows)
        return _render(a, q, dim, form, rows, visible)
    if not permissions.can_edit_section(current_user, a, dim_id):
        abort(403)
    form = form_class()
    if not form.validate_on_submit():
        if wants_json:
            return jsonify(ok=False, errors=form.errors), 400
        message = _("Nothing in this section was saved. Correct the answers marked below, then save again.")
        return _render(a, q, dim, form, rows, visible, error=message, status=400)
    try:
        stored = {k: r.answer for k, r in rows.items()}
        inputs = _inputs(form, form_class.items, q, stored, request.form)
        outcome = services.save_section(a, current_user, dim_id, inputs)
        db.session.commit()
    except services.ReadinessError as exc:
        db.session.rollback()
        if wants_json:
            return jsonify(ok=False, error=str(exc)), 400
        return _render(a, q, dim, form, rows, visible, error=str(exc), status=400)
    except IntegrityError:
        db.session.rollback()
        message = _(
            "A colleague saved this section at the same moment. Nothing of yours was saved; check the "
            "answers below and save again."
        )
        if wants_json:
            return jsonify(ok=False, error=message), 409
        flash(message, "error")
        return redirect(url_for("readiness.section", uuid=uuid, dim_id=dim_id))
    rows = services.answers_of(a)
    if wants_json:
        fields = {}
        conflicting = {c.item_id for c in outcome.conflicts}
        for item, n in form_class.items:
            if item.id in rows and item.id not in conflicting:
                fields[n["version"]] = str(rows[item.id].version)
                fields[n["original"]] = services.answer_fingerprint(rows[item.id])
        return jsonify(
            ok=not outcome.conflicts, saved=outcome.saved, fields=fields, conflicts=sorted(conflicting)
        ), (409 if outcome.conflicts else 200)
    if not outcome.conflicts:
        flash(
            ngettext("Saved %(num)d answer.", "Saved %(num)d answers.", len(outcome.saved))
            if outcome.saved
            else _("Nothing had changed."),
            "success",
        )
        return redirect(url_for("readiness.section", uuid=uuid, dim_id=dim_id))
    # Conflicts: show the stored state with the editor's own values kept for the conflicting items.
    visible = scoring.visibility(q, {k: r.answer for k, r in rows.items() if r.answer is not None})
    fresh = form_class(formdata=None)
    _fill(fresh, form_class.items, rows)
    names = dict((item.id, n) for item, n in form_class.items)
    for conflict in outcome.conflicts:
        n, item, mine = names[conflict.item_id], q.item(conflict.item_id), conflict.mine
        if item.type == "checklist":
            fresh[n["ticks"]].data = list(mine.value) if isinstance(mine.value, list) else []
            fresh[n["answer"]].data = (
                mine.value if mine.value in SPECIAL else ("none" if mine.value == [] else "")
            )
        else:
            fresh[n["answer"]].data = None if mine.value is None else str(mine.value)
        fresh[n["comment"]].data = mine.comment
        fresh[n["evidence"]].data = mine.evidence_url
    return _render(
        a,
        q,
        dim,
        fresh,
        rows,
        visible,
        conflicts=outcome.conflicts,
        status=409,
        error=_(
            "Some questions were changed by a colleague while you were editing. Compare the "
            "answers below: save again to keep yours, or reload the section to keep theirs."
        ),
    )


@bp.get("/a/<uuid>/review")
@login_required
def review(uuid):
    a = load_assessment(uuid)
    note_form = NoteForm(formdata=None) if permissions.can_note(current_user, a) else None
    return _review_page(a, note_form)


def _review_page(a, note_form: NoteForm | None, status: int = 200):
    q = services.questionnaire_for(a)
    rows = services.answers_of(a)
    values = {k: r.answer for k, r in rows.items() if r.answer is not None}
    lang = current_language()
    if note_form is not None:
        note_form.dimension.choices = choices(
            [("", _("The whole assessment"))]
            + [(d.id, presenters.ltext(d.title, lang, q.source_language)) for d in q.dimensions]
        )
    return render_template(
        "readiness/review.html",
        a=a,
        q=q,
        rows=rows,
        states=scoring.item_states(q, values),
        done=scoring.completeness(q, values),
        notes=services.notes_of(a),
        note_form=note_form,
        notice=language_notice(q),
        answer_text=lambda item_id, value: presenters.answer_text(q, item_id, value, lang),
    ), status


@bp.post("/a/<uuid>/notes")
@login_required
def add_note(uuid):
    a = load_assessment(uuid)
    if not permissions.can_note(current_user, a):
        abort(403)
    form = NoteForm()
    form.dimension.choices = choices(
        [("", "")] + [(d.id, d.id) for d in services.questionnaire_for(a).dimensions]
    )
    # A refused note is shown again with the reason at its field, so that nothing typed is lost.
    if not form.validate_on_submit():
        if form.text.errors:
            form.text.errors = [_("Write a note of at most %(n)s characters.", n=services.MAX_NOTE)]
        return _review_page(a, form, 400)
    try:
        services.add_note(a, current_user, form.text.data, form.dimension.data or None)
    except services.ReadinessError as exc:
        db.session.rollback()
        field_errors(form, exc)
        return _review_page(a, form, 400)
    db.session.commit()
    flash(_("Your note has been added."), "success")
    return redirect(url_for("readiness.review", uuid=uuid) + "#notes")
