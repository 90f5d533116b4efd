"""Forms of the analytics pages. Filter forms are GET forms (no CSRF: they change nothing); every
form that writes has CSRF through Flask-WTF."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp

from analytics.render import FastSelect

MONTH = r"^(19|20)\d\d-(0[1-9]|1[0-2])$"


def choices(pairs) -> list[SelectChoice]:
    """WTForms 3.3 wants :class:`SelectChoice` objects rather than tuples."""
    return [SelectChoice(value=str(value), label=label) for value, label in pairs]


class GetForm(FlaskForm):
    class Meta:
        csrf = False


class FilterForm(GetForm):
    resource = SelectField(_l("Module, session or kit"), choices=[], default="", widget=FastSelect())
    language = SelectField(_l("Language"), choices=[], default="", widget=FastSelect())
    region = SelectField(_l("UN region"), choices=[], default="", widget=FastSelect())
    country = SelectField(_l("Country"), choices=[], default="", widget=FastSelect())
    start = StringField(
        _l("From month (YYYY-MM)"),
        validators=[Optional(), Regexp(MONTH, message=_l("Write the month as YYYY-MM."))],
    )
    end = StringField(
        _l("To month (YYYY-MM)"),
        validators=[Optional(), Regexp(MONTH, message=_l("Write the month as YYYY-MM."))],
    )


class OpenDataForm(GetForm):
    year = SelectField(_l("Year"), choices=[], default="")


class FeedbackForm(FlaskForm):
    resource = HiddenField(validators=[DataRequired()])
    part = HiddenField()
    next = HiddenField()
    useful = RadioField(
        _l("Was this useful?"),
        choices=choices([("yes", _l("Yes")), ("no", _l("No"))]),
        validators=[InputRequired(message=_l("Choose yes or no."))],
    )
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=2000)])


CATEGORY_CHOICES = choices(
    [
        ("wrong_fact", _l("A wrong fact")),
        ("broken_media", _l("Broken media or link")),
        ("translation_error", _l("A translation error")),
        ("accessibility", _l("An accessibility barrier")),
        ("other", _l("Something else")),
    ]
)


class ReportForm(FlaskForm):
    resource = HiddenField(validators=[DataRequired()])
    part = HiddenField()
    next = HiddenField()
    category = RadioField(
        _l("What is wrong?"),
        choices=CATEGORY_CHOICES,
        validators=[InputRequired(message=_l("Choose what kind of problem it is."))],
    )
    description = TextAreaField(_l("Describe the problem"), validators=[DataRequired(), Length(max=4000)])
    email = StringField(
        _l("Your e-mail, if you want to hear when it is fixed (optional)"),
        validators=[Optional(), Email(), Length(max=254)],
    )


SCALE = choices([(str(i), str(i)) for i in range(1, 6)])


class EvaluationForm(FlaskForm):
    next = HiddenField()
    relevance = RadioField(
        _l("How relevant was it to your work as a focal point? (1 = not at all, 5 = very)"),
        choices=SCALE,
        validators=[InputRequired(message=_l("Choose a number from 1 to 5."))],
    )
    clarity = RadioField(
        _l("How clear was it? (1 = not at all, 5 = very)"),
        choices=SCALE,
        validators=[InputRequired(message=_l("Choose a number from 1 to 5."))],
    )
    language_quality = RadioField(
        _l("How good was the language of the version you used? (1 = poor, 5 = very good)"),
        choices=SCALE,
        validators=[InputRequired(message=_l("Choose a number from 1 to 5."))],
    )
    suggestions = TextAreaField(
        _l("What should be added? (optional)"), validators=[Optional(), Length(max=2000)]
    )


class TriageForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=choices(
            [
                ("new", _l("New")),
                ("in_progress", _l("In progress")),
                ("fixed", _l("Fixed")),
                ("wont_fix", _l("Won't fix")),
            ]
        ),
    )
    note = TextAreaField(
        _l("Note to the reporter (sent when fixed)"), validators=[Optional(), Length(max=4000)]
    )


class StatementExportForm(GetForm):
    verb = StringField(_l("Verb IRI"), validators=[Optional(), Length(max=500)])
    activity = StringField(_l("Activity IRI"), validators=[Optional(), Length(max=1000)])
    related_activities = BooleanField(_l("Also statements whose context mentions the activity"))
    registration = StringField(
        _l("Registration (UUID)"),
        validators=[Optional(), Regexp(r"^[0-9a-fA-F-]{36}$", message=_l("A registration is a UUID."))],
    )
    agent = StringField(_l("Learner pseudonym (account name)"), validators=[Optional(), Length(max=200)])
    since = StringField(_l("Stored since (YYYY-MM-DD or ISO 8601)"), validators=[Optional(), Length(max=40)])
    until = StringField(_l("Stored until (YYYY-MM-DD or ISO 8601)"), validators=[Optional(), Length(max=40)])
    limit = IntegerField(
        _l("At most this many statements (empty: all)"),
        validators=[Optional(), NumberRange(min=1, max=10_000_000)],
    )


class LearnerExportForm(FlaskForm):
    resource = SelectField(_l("Module, session or kit"), choices=[], default="")
    identify = BooleanField(_l("Include names and e-mail addresses"))
    purpose = TextAreaField(
        _l("Purpose of this export (recorded in the audit trail)"), validators=[Optional(), Length(max=1000)]
    )
