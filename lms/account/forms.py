"""Account forms. Field names ``email`` and ``password`` on the sign-in form are relied on by tests."""

from __future__ import annotations

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from lms.countries import country_choices
from lms.i18n import native_language_name
from lms.timezones import zone_choices, zone_names

MIN_PASSWORD_LENGTH = 10
_PASSWORD_LENGTH_MESSAGE = _l("The password must have between %(min)d and %(max)d characters.")
_EMAIL_MESSAGE = _l("Enter a valid e-mail address.")

ROLE_LABELS = {
    "learner": _l("Learner"),
    "trainer": _l("Trainer"),
    "coordinator": _l("Country coordinator"),
    "admin": _l("Administrator"),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def language_choices() -> list[tuple[str, str]]:
    """The six UN languages, each named in itself."""
    return [(code, native_language_name(code)) for code in current_app.config["LANGUAGES"]]


class ChoiceField(SelectField):
    """A select whose refusal of an unknown value says what to do."""

    def __init__(self, *args, invalid_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValueError as exc:
            raise ValidationError(self.invalid_message or str(exc)) from exc


class _ProfileFields(FlaskForm):
    name = StringField(
        _l("Full name"), validators=[DataRequired(), Length(max=200)], render_kw={"autocomplete": "name"}
    )
    country = ChoiceField(
        _l("Country"),
        validators=[DataRequired(message=_l("Choose a country from the list."))],
        invalid_message=_l("Choose a country from the list."),
    )
    organisation = StringField(
        _l("Organisation"), validators=[Length(max=200)], render_kw={"autocomplete": "organization"}
    )
    locale = ChoiceField(
        _l("Preferred language"),
        validators=[DataRequired()],
        invalid_message=_l("Choose one of the languages offered."),
    )
    is_focal_point = BooleanField(_l("I am a national focal point"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Choose a country"))] + country_choices()
        self.locale.choices = language_choices()


class RegisterForm(_ProfileFields):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=254), Email(message=_EMAIL_MESSAGE)],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(),
            Length(min=MIN_PASSWORD_LENGTH, max=256, message=_PASSWORD_LENGTH_MESSAGE),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )

    # The order of the page, which is also the order of the list of errors above the form: without it
    # the fields of _ProfileFields (name, country...) come first and "Country" is listed before
    # "E-mail address" although it is asked after the passwords.
    FIELD_ORDER = (
        "name",
        "email",
        "password",
        "confirm",
        "country",
        "organisation",
        "locale",
        "is_focal_point",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first = {name: self._fields[name] for name in self.FIELD_ORDER}
        self._fields = {**first, **{k: v for k, v in self._fields.items() if k not in first}}


class ProfileForm(_ProfileFields):
    """What a user may change about themselves (not the e-mail, not the role)."""

    # A form sent without it (an older page) keeps the zone: ``data`` is then None.
    time_zone = SelectField(
        _l("Time zone"),
        description=_l("Times of live sessions, in pages and e-mails, are written in this zone."),
        validate_choice=False,
    )

    is_reminders_off = BooleanField(
        _l("Do not send me reminder e-mails"),
        description=_l(
            "About modules you have not finished, live webinar sessions you registered for and your "
            "country's open readiness assessment."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        automatic = _l("Automatic: my country's time, or UTC for a country spread over several time zones")
        self.time_zone.choices = [("", automatic), *zone_choices(str(get_locale() or "en"))]

    def validate_time_zone(self, field):
        if field.data and field.data not in zone_names():
            raise ValidationError(_l("Choose a time zone from the list."))


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class EmailOnlyForm(FlaskForm):
    """Ask for a new confirmation link, or for a password reset link."""

    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=254), Email(message=_EMAIL_MESSAGE)],
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(min=MIN_PASSWORD_LENGTH, max=256, message=_PASSWORD_LENGTH_MESSAGE),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class DeletionRequestForm(FlaskForm):
    reason = TextAreaField(_l("Reason (optional)"), validators=[Length(max=2000)])
    confirm = BooleanField(
        _l("I understand that my account and my personal data will be deleted"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
