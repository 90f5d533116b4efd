"""Administration forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, SearchField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from lms.account.forms import ROLE_LABELS, ChoiceField, language_choices
from lms.countries import country_choices
from lms.models import ROLES

STATUS_LABELS = {
    "active": _l("Active"),
    "unconfirmed": _l("Not confirmed yet"),
    "deactivated": _l("Deactivated"),
    "deleted": _l("Deleted"),
}


class UserSearchForm(FlaskForm):
    """The filters of the user list; a GET form (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name or e-mail"), validators=[Optional(), Length(max=200)])
    country = SelectField(_l("Country"), validators=[Optional()])
    role = SelectField(_l("Role"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Any country"))] + country_choices()
        self.role.choices = [("", _l("Any role"))] + [(r, ROLE_LABELS[r]) for r in ROLES]
        self.status.choices = [("", _l("Not deleted"))] + list(STATUS_LABELS.items())


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(r, ROLE_LABELS[r]) for r in ROLES]


class CountryForm(FlaskForm):
    # Starts empty for an account without a country (the first country in the list is no default).
    country = SelectField(
        _l("Country"), validators=[DataRequired(message=_l("Choose a country from the list."))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Choose a country"))] + country_choices()


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (deactivate, reactivate)."""


class ExecuteDeletionForm(FlaskForm):
    confirm = BooleanField(
        _l("I have checked this request; anonymise the account now"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class RejectDeletionForm(FlaskForm):
    note = TextAreaField(_l("Why is the request rejected?"), validators=[DataRequired(), Length(max=2000)])


class InviteForm(FlaskForm):
    """One person an administrator invites: the account is created and its owner mailed a link to
    choose a password."""

    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=254), Email(message=_l("Enter a valid e-mail address."))],
    )
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), validators=[DataRequired()], default="learner")
    # Optional, and empty until chosen (the first country in the list is no default).
    country = ChoiceField(
        _l("Country"), validators=[Optional()], invalid_message=_l("Choose a country from the list.")
    )
    locale = ChoiceField(
        _l("Language"),
        validators=[DataRequired()],
        invalid_message=_l("Choose one of the languages offered."),
        description=_l("The invitation and the person's pages are in this language until they change it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(r, ROLE_LABELS[r]) for r in ROLES]
        self.country.choices = [("", _l("Choose a country"))] + country_choices()
        self.locale.choices = language_choices()


class InviteCsvForm(FlaskForm):
    # The language of the rows that name none (its own field: the one-person form's is not sent).
    csv_locale = ChoiceField(
        _l("Language"),
        validators=[Optional()],
        invalid_message=_l("Choose one of the languages offered."),
        description=_l("The invitation and the person's pages are in this language until they change it."),
    )
    file = FileField(_l("CSV file"), validators=[FileRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.csv_locale.choices = language_choices()
