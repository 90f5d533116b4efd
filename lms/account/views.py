"""Accounts: register, confirm, sign in/out, password reset, profile (the ``account`` blueprint; its
signed-in sessions pages are in :mod:`lms.account.views_sessions`, privacy in
:mod:`lms.account.views_privacy`).

Views parse a form, call :mod:`lms.account.creation` or :mod:`lms.account.services`, commit once, then
redirect or render. Refused input is shown on the page again with the reason and status 400.
"""

from __future__ import annotations

import hashlib

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user

from lms.account import creation, services, sign_ins
from lms.account.errors import AccountError, UnconfirmedAccount
from lms.account.forms import (
    ChangePasswordForm,
    EmailOnlyForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    role_label,
)
from lms.auth import keep_session, login_required, sign_in, sign_out
from lms.db import db, utcnow
from lms.extensions import limiter
from lms.i18n import current_language, language_name
from lms.views import safe_next

bp = Blueprint("account", __name__, url_prefix="/account")
bp.add_app_template_global(role_label, "role_label")
bp.add_app_template_global(sign_ins.device_label, "sign_in_device")


def _auth_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _address_limit() -> str:
    return current_app.config["RATELIMIT_PER_ADDRESS"]


def _typed_address() -> str:
    # The limiter asks for it up to three times a request (key, exemption, deduction): read it once.
    if "typed_address" not in g:
        g.typed_address = _read_address()
    return g.typed_address


def _read_address() -> str:
    # Read as the form reads it (Flask-WTF also takes a JSON body), so no way of sending the form
    # escapes the count; without CSRF, so that reading it sets nothing in the session.
    value = str(EmailOnlyForm(meta={"csrf": False}).email.data or "").strip()
    # As accounts store it (so every spelling of one address counts once: a full-width domain is the
    # same address to registration); text that is no address is counted as typed.
    try:
        return services.normalise_email(value)
    except AccountError:
        return value.casefold()


def _address_key() -> str:
    # Counted per e-mail address as well as per visitor: guessing one account's password from many
    # addresses, or filling one mailbox with reset links, meets this limit whatever the visitor's IP.
    # Hashed: the limiter's storage (Redis) holds no address typed into the form.
    return "address:" + hashlib.sha256(_typed_address().encode()).hexdigest()


def _no_address() -> bool:
    # A form sent without an address reaches no account; it is told what is missing, not to wait.
    return not _typed_address()


def _sign_in_failed(response) -> bool:
    # Only a failed sign-in counts against the address: signing in (a redirect) uses none of it.
    return response.status_code != 302


def refuse(form, exc: AccountError) -> None:
    """Show a service's refusal next to its field, or above the form."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))


def _page(template: str, form, **context):
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status


# --- sign in / out --------------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
@limiter.limit(
    _address_limit,
    key_func=_address_key,
    methods=["POST"],
    exempt_when=_no_address,
    deduct_when=_sign_in_failed,
)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), url_for("core.home")))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    unconfirmed = False
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except UnconfirmedAccount as exc:
            unconfirmed = True
            form.form_errors.append(str(exc))
        except AccountError as exc:
            form.form_errors.append(str(exc))
        else:
            record = sign_ins.open_sign_in(user, request.user_agent.string)
            db.session.commit()
            chosen = session.get("lang")
            sign_in(user, record)  # a fresh session: the account's own language applies from now on,
            refresh()  # to this request's messages too
            flash(_("You are signed in."), "success")
            if chosen and chosen != current_language():
                flash(
                    _(
                        "Pages are shown in %(language)s, the language of your account. The language "
                        "menu at the top of each page changes it.",
                        language=language_name(current_language()),
                    ),
                    "info",
                )
            return redirect(safe_next(form.next.data or request.args.get("next"), url_for("core.home")))
    return _page("account/login.html", form, unconfirmed=unconfirmed)


@bp.post("/logout")
def logout():
    # The person at the screen keeps reading in the language they were using (their account's or the
    # one they chose), not the browser's default that applies once no one is signed in.
    reading = current_language()
    sign_out()
    db.session.commit()
    # An invitation opened while signed in as someone else signs out and comes back to it (``next``), in
    # the invitation's language, as in any other browser.
    going_on = request.form.get("next")
    if not going_on:
        session["lang"] = reading
    flash(_("You are signed out."), "info")
    return redirect(safe_next(going_on, url_for("core.home")))


# --- registration and confirmation ----------------------------------------------------------------


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
@limiter.limit(_address_limit, key_func=_address_key, methods=["POST"], exempt_when=_no_address)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("account.profile"))
    form = RegisterForm()
    # Where the visitor was going when asked to sign in ("Sign in to register" on a session): kept
    # through registration, sign-in and, in the same browser, the confirmation link.
    next_url = safe_next(request.args.get("next"), "") or None
    if request.method == "GET":
        form.locale.data = current_language()
    if form.validate_on_submit():
        try:
            creation.register_user(
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                country_code=form.country.data,
                organisation=form.organisation.data,
                locale=form.locale.data,
                is_focal_point=form.is_focal_point.data,
            )
        except AccountError as exc:
            db.session.rollback()
            refuse(form, exc)
        else:
            db.session.commit()
            # The same answer whether or not the address already had an account (its owner gets a
            # notice by e-mail instead): the form must not reveal who is registered. Redirecting after
            # the POST also means a double submit shows this message, never an error.
            message = _(
                "Check your e-mail: we sent a message to the address you gave. To confirm a new account, "
                "open the link in it, then sign in."
            )
            if message not in [m for _cat, m in session.get("_flashes", [])]:
                flash(message, "success")
            if next_url:
                # Kept with the address it was for: another account confirmed in this browser does not
                # follow it.
                session["after_confirm"] = [form.email.data.strip().lower(), next_url]
            return redirect(url_for("account.login", next=next_url))
    return _page("account/register.html", form, next_url=next_url)


def _in_the_mails_language(user) -> None:
    """A link from a mail opens in the language the mail was written in (the account's), in whatever
    browser it is opened, unless the visitor has chosen a language there or is signed in as someone else."""
    if current_user.is_authenticated and current_user.id != user.id:
        return
    if user.locale in current_app.config["LANGUAGES"] and "lang" not in session:
        session["lang"] = user.locale
        refresh()


@bp.get("/confirm/<token>")
def confirm(token: str):
    try:
        user = creation.confirm_email(token)
        _in_the_mails_language(user)
    except AccountError as exc:
        db.session.rollback()
        return render_template("account/link_error.html", message=str(exc), kind="confirm"), 400
    db.session.commit()
    flash(_("Your e-mail address is confirmed. Welcome!"), "success")
    if current_user.is_authenticated:
        return redirect(url_for("account.profile"))
    email, going = (session.pop("after_confirm", None) or [None, None])[:2]
    going = going if email == user.email.lower() else None
    return redirect(url_for("account.login", next=safe_next(going, "") or None))


@bp.route("/confirm", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
@limiter.limit(_address_limit, key_func=_address_key, methods=["POST"], exempt_when=_no_address)
def resend_confirmation():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        creation.resend_confirmation(form.email.data)
        db.session.commit()
        flash(
            _("If an unconfirmed account uses this address, a new confirmation link is on its way."), "info"
        )
        return redirect(url_for("account.login"))
    return _page("account/resend_confirmation.html", form)


# --- password reset -------------------------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
@limiter.limit(_address_limit, key_func=_address_key, methods=["POST"], exempt_when=_no_address)
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("If an account uses this address, we sent it a link to choose a new password."), "info")
        return redirect(url_for("account.login"))
    return _page("account/forgot_password.html", form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
def reset_password(token: str):
    try:
        _in_the_mails_language(services.check_reset_token(token))
    except AccountError as exc:
        return render_template("account/link_error.html", message=str(exc), kind="reset"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except AccountError as exc:
            db.session.rollback()
            refuse(form, exc)
        else:
            # Whoever was signed in in this browser is signed out too, their session ended on the server.
            sign_out()
            db.session.commit()
            flash(_("Your password is changed. Sign in with the new one."), "success")
            return redirect(url_for("account.login"))
    return _page("account/reset_password.html", form)


# --- invitation ---------------------------------------------------------------------------------


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
def accept_invitation(token: str):
    """An invited person chooses their password; the account is confirmed and signed in."""
    try:
        invited = creation.check_invitation_token(token)
    except AccountError as exc:
        return render_template("account/link_error.html", message=str(exc), kind="invitation"), 400
    _in_the_mails_language(invited)
    if current_user.is_authenticated and current_user.id != invited.id:
        # Accepting would switch this browser to the invited account without a word: whoever is signed
        # in signs out first (a colleague's computer, an admin testing the link).
        status = 409 if request.method == "POST" else 200
        return render_template("account/invitation_signed_in.html", invited=invited), status
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = creation.accept_invitation(token, form.password.data)
        except AccountError as exc:
            db.session.rollback()
            refuse(form, exc)
        else:
            record = sign_ins.open_sign_in(user, request.user_agent.string)
            db.session.commit()
            sign_in(user, record)  # a fresh session, in the account's language
            refresh()
            flash(
                _(
                    "Welcome to %(site)s, %(name)s! Your password is saved and you are signed in.",
                    site=current_app.config["SITE_NAME"],
                    name=user.name,
                ),
                "success",
            )
            return redirect(url_for("core.home"))
    return _page("account/accept_invitation.html", form, invited=invited)


# --- profile --------------------------------------------------------------------------------------


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    current = {
        "name": current_user.name,
        "country": current_user.country_code or "",
        "organisation": current_user.organisation,
        "locale": current_user.locale,
        "is_focal_point": current_user.is_focal_point,
        "is_reminders_off": current_user.is_reminders_off,
        "time_zone": current_user.time_zone or "",
    }
    form = ProfileForm(data=current if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.update_profile(
                current_user,
                name=form.name.data,
                country_code=form.country.data,
                organisation=form.organisation.data,
                locale=form.locale.data,
                is_focal_point=form.is_focal_point.data,
                is_reminders_off=form.is_reminders_off.data,
                time_zone=form.time_zone.data,
            )
        except AccountError as exc:
            db.session.rollback()
            refuse(form, exc)
        else:
            db.session.commit()
            session.pop("lang", None)
            # The page this message lands on is in the language just chosen; the locale of this
            # request was picked before the change, so pick it again before translating.
            refresh()
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("account.profile"))
    return _page("account/profile.html", form, now=utcnow())


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user,
                form.current_password.data,
                form.password.data,
                keep_session=session.get(sign_ins.SESSION_KEY),
            )
        except AccountError as exc:
            db.session.rollback()
            refuse(form, exc)
        else:
            db.session.commit()
            keep_session(current_user)  # the account's other sessions are signed out
            flash(_("Your password is changed."), "success")
            return redirect(url_for("account.profile"))
    return _page("account/change_password.html", form)
