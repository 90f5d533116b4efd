"""Forms of the LRS administration pages (``/admin/lrs/``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import PasswordInput

from lms.xapi.forwarding import VERSIONS

SCOPE_LABELS = {
    "statements/write": _l("Write statements"),
    "statements/read": _l("Read every statement"),
    "statements/read/mine": _l("Read the statements it wrote"),
    "state": _l("Read and write State documents"),
    "profile": _l("Read and write Activity and Agent Profile documents"),
    "define": _l("Define activities (their definitions update the LRS's canonical ones)"),
    "all/read": _l("Read everything"),
    "all": _l("Everything (read and write)"),
}

FILTER_LABELS = {
    "all": _l("Every statement"),
    "verbs": _l("Only these verbs"),
    "activity_types": _l("Only these activity types"),
}


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class ClientForm(FlaskForm):
    name = StringField(lazy_pgettext("LRS client", "Name"), validators=[DataRequired(), Length(max=200)])
    scopes = SelectMultipleField(
        _l("Scopes"),
        choices=_choices(SCOPE_LABELS.items()),
        validators=[DataRequired(message=_l("Choose at least one scope."))],
    )
    expires_days = IntegerField(
        _l("Expires after (days)"), validators=[Optional(), NumberRange(min=1, max=3650)]
    )
    # One value per form shown: a reloaded result page sends the same form again, and that must not
    # create a second client (see ``lms.xapi.auth.client_created_by_request``).
    request_id = HiddenField(validators=[Optional(), Length(max=64)])


class EndpointForm(FlaskForm):
    name = StringField(
        lazy_pgettext("forwarding endpoint", "Name"), validators=[DataRequired(), Length(max=200)]
    )
    endpoint = URLField(_l("Endpoint"), validators=[DataRequired(), Length(max=1000)])
    username = StringField(_l("User name (HTTP Basic)"), validators=[Optional(), Length(max=255)])
    # Typed back into the form when another field is refused: an empty field would otherwise save the
    # endpoint without its password (or, when editing, silently keep the old one).
    password = PasswordField(
        _l("Password (HTTP Basic)"),
        validators=[Optional(), Length(max=255)],
        widget=PasswordInput(hide_value=False),
    )
    version = SelectField(_l("xAPI version"), choices=_choices((v, v) for v in VERSIONS))
    filter_kind = SelectField(_l("Statements to forward"), choices=_choices(FILTER_LABELS.items()))
    filter_values = TextAreaField(_l("Verbs or activity types"), validators=[Optional(), Length(max=10000)])
    is_active = BooleanField(lazy_pgettext("forwarding endpoint", "Active"), default=True)

    def validate_filter_values(self, field):
        if self.filter_kind.data != "all" and not (field.data or "").strip():
            raise ValidationError(_l("List at least one verb or activity type for this filter."))


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (deactivate, retry ...)."""
