"""Learner pages: catalogue, course page, enrol, continue, lessons, quizzes, results, my learning."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from courses.forms import ActionForm, CatalogueFilterForm
from courses.models import Certificate, Course, Enrolment
from courses.services import learning, quizzes
from courses.services.errors import CourseError
from courses.services.publishing import published_view, published_views
from courses.services.workshops_registration import registrations_of
from courses.views import bp
from courses.views.common import flash_error, lang, visible_course_or_404
from courses.views.rendering import lesson_html
from lms.auth import login_required
from lms.db import db


@bp.get("/")
def catalogue():
    rows = db.session.scalars(
        select(Course)
        .where(Course.status == "published", Course.published_version.is_not(None))
        .order_by(Course.slug)
    ).all()
    published = published_views(rows, lang())
    views = [(c, published[c.id]) for c in rows]
    articles = sorted({a for _c, v in views for a in v.s["articles"]})
    form = CatalogueFilterForm(request.args).setup(articles)
    chosen_lang = form.language.data if form.language.data in {c.value for c in form.language.choices} else ""
    chosen_article = form.article.data if form.article.data in {c.value for c in form.article.choices} else ""
    chosen_level = form.level.data if form.level.data in {c.value for c in form.level.choices} else ""
    shown = [
        (c, v)
        for c, v in views
        if (not chosen_lang or chosen_lang in v.s["languages"])
        and (not chosen_article or int(chosen_article) in v.s["articles"])
        and (not chosen_level or v.s["level"] == chosen_level)
    ]
    enrolled = set()
    if current_user.is_authenticated:
        enrolled = set(db.session.scalars(select(Enrolment.course_id).filter_by(user_id=current_user.id)))
    return render_template(
        "courses/catalogue.html",
        courses=shown,
        form=form,
        enrolled=enrolled,
        shown_language=chosen_lang or lang(),
        filtered=bool(chosen_lang or chosen_article or chosen_level),
    )


@bp.get("/<slug>")
def course(slug):
    course = visible_course_or_404(slug)
    view = published_view(course, lang())
    enrolment = learning.get_enrolment(current_user, course)
    done, changes, certificate, percent, missing = set(), {}, None, 0, []
    if enrolment is not None:
        done = learning.done_items(enrolment)
        changes = learning.changes_since(enrolment, view)
        percent = learning.percent(enrolment, view)

        certificate = db.session.scalar(select(Certificate).filter_by(enrolment_id=enrolment.id))
    elif current_user.is_authenticated:
        missing = [
            (c, published_view(c, lang())) for c in learning.missing_prerequisites(current_user, course)
        ]
    prereqs = db.session.scalars(select(Course).where(Course.slug.in_(course.prerequisites or []))).all()
    return render_template(
        "courses/course.html",
        course=course,
        view=view,
        enrolment=enrolment,
        done=done,
        changes=changes,
        certificate=certificate,
        percent=percent,
        missing=missing,
        prereqs=[(c, published_view(c, lang())) for c in prereqs if c.published_version],
        form=ActionForm(),
    )


@bp.post("/<slug>/enrol")
@login_required
def enrol(slug):
    course = visible_course_or_404(slug)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    view = published_view(course, lang())
    try:
        _enrolment, created = learning.enrol(current_user, course, view)
    except CourseError as exc:
        db.session.rollback()
        flash_error(exc)
        return redirect(url_for("courses.course", slug=slug))
    db.session.commit()
    if created:
        flash(_("You are enrolled. Welcome to the module!"), "success")
    return redirect(url_for("courses.course", slug=slug))


def _enrolment_or_redirect(course):
    enrolment = learning.get_enrolment(current_user, course)
    if enrolment is None:
        flash(_("Enrol in the module to study it."), "info")
    return enrolment


def posted_step(slug: str, item_slug: str, kind: str | None = None):
    """``(course, enrolment, view, item)`` for a learner's POST on a step (``kind`` when given): 400
    without a valid CSRF token, 404 for an unknown step, back to the course page when not enrolled."""
    course = visible_course_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    enrolment = _enrolment_or_redirect(course)
    if enrolment is None:
        abort(redirect(url_for("courses.course", slug=slug)))
    view = published_view(course, lang())
    item = view.item(item_slug)
    if item is None or (kind is not None and item["kind"] != kind):
        abort(404)
    return course, enrolment, view, item


@bp.post("/<slug>/continue")
@login_required
def resume(slug):
    course = visible_course_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    enrolment = _enrolment_or_redirect(course)
    if enrolment is None:
        return redirect(url_for("courses.course", slug=slug))
    item = learning.launch(current_user, enrolment, published_view(course, lang()))
    db.session.commit()
    if item is None:
        return redirect(url_for("courses.course", slug=slug))
    return redirect(url_for("courses.item", slug=slug, item_slug=item["slug"]))


@bp.get("/<slug>/learn/<item_slug>")
@login_required
def item(slug, item_slug):
    course = visible_course_or_404(slug)
    enrolment = _enrolment_or_redirect(course)
    if enrolment is None:
        return redirect(url_for("courses.course", slug=slug))
    view = published_view(course, lang())
    item = view.item(item_slug)
    if item is None:
        abort(404)
    texts, shown, fallback = view.texts(item["texts"])
    stale = not fallback and view.is_stale(item, shown)
    # "Read the English version" of a stale translation: the source text of this one step.
    read_source = request.args.get("read") == "source" and shown != view.source_language
    if read_source and view.source_language in item["texts"]:
        texts, shown, stale = item["texts"][view.source_language], view.source_language, False
    else:
        read_source = False
    progress = learning.open_item(current_user, enrolment, view, item, shown)
    db.session.commit()
    prev_item, next_item = view.neighbours(item_slug)
    context = dict(
        course=course,
        view=view,
        item=item,
        texts=texts,
        shown=shown,
        fallback=fallback,
        stale=stale,
        read_source=read_source,
        prev_item=prev_item,
        next_item=next_item,
        progress=progress,
        enrolment=enrolment,
        percent=learning.percent(enrolment, view),
        form=ActionForm(),
        preview=False,
    )
    if item["kind"] == "lesson":
        return render_template(
            "courses/lesson.html", body=lesson_html(texts.get("body", ""), slug), **context
        )
    if item["kind"] == "quiz":
        attempts = quizzes.attempts_for(enrolment, item["uuid"])
        return render_template(
            "courses/quiz.html", attempts=attempts, left=quizzes.attempts_left(enrolment, item), **context
        )
    from courses.views.xapi_packages import package_page

    return package_page(**context)


@bp.post("/<slug>/learn/<item_slug>/done")
@login_required
def mark_done(slug, item_slug):
    course, enrolment, view, item = posted_step(slug, item_slug)
    try:
        completed = learning.mark_done(current_user, enrolment, view, item)
    except CourseError as exc:
        db.session.rollback()
        flash_error(exc)
        return redirect(url_for("courses.item", slug=slug, item_slug=item_slug))
    db.session.commit()
    if completed:
        flash(_("Congratulations, you have completed the module!"), "success")
        return redirect(url_for("courses.course", slug=slug))
    _prev, nxt = view.neighbours(item_slug)
    if nxt is not None:
        return redirect(url_for("courses.item", slug=slug, item_slug=nxt["slug"]))
    return redirect(url_for("courses.course", slug=slug))


@bp.get("/my")
@login_required
def my_learning():
    rows = db.session.scalars(
        select(Enrolment)
        .filter_by(user_id=current_user.id)
        .options(selectinload(Enrolment.course))
        .order_by(Enrolment.last_activity_dt.desc())
    ).all()
    views = published_views([e.course for e in rows], lang())
    studied = [(e, views[e.course_id]) for e in rows if e.course_id in views]
    done = learning.percents(studied)
    certificates = {
        c.enrolment_id: c
        for c in db.session.scalars(
            select(Certificate).where(Certificate.enrolment_id.in_([e.id for e, _v in studied]))
        )
    }
    entries = [(e.course, v, e, done[e.id], certificates.get(e.id)) for e, v in studied]
    return render_template(
        "courses/my.html",
        entries=entries,
        agenda=learning.agenda(current_user),
        followed=learning.followed(current_user),
        workshops=registrations_of(current_user),
        form=ActionForm(),
    )


@bp.route("/preferences")
def preferences():
    """The reminder setting lives in the profile (one setting for every plugin's reminders); reminder
    mails sent before that pointed here."""
    return redirect(url_for("account.profile"), code=301)
