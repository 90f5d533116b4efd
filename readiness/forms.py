"""Forms of the readiness plugin (Flask-WTF, so every one carries a CSRF token).

The section form is built per questionnaire section: for each question an answer field (radio buttons;
a checklist has tick boxes plus a status choice), an optional comment and evidence link, and the hidden
version number the editor saw (optimistic concurrency)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms import widgets as w
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional, Regexp

from readiness.questionnaire import DONT_KNOW, NOT_APPLICABLE, Questionnaire, pick
from readiness.services import MAX_COMMENT, MAX_NOTE


def choices(pairs) -> list[SelectChoice]:
    """WTForms choices from ``(value, label)`` pairs (tuples are deprecated)."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    widget = w.ListWidget(prefix_label=False)
    option_widget = w.CheckboxInput()


class StartForm(FlaskForm):
    cycle = StringField(
        _l("Cycle (year)"),
        validators=[DataRequired(), Regexp(r"^20\d\d$", message=_l("The cycle is a year, such as 2025."))],
    )
    language = SelectField(_l("Working language of the team"), validators=[DataRequired()])


class InviteForm(FlaskForm):
    user_id = SelectField(_l("Colleague"), coerce=int, validators=[InputRequired()])
    role = RadioField(
        _l("Role"),
        choices=choices([("editor", _l("Section editor")), ("reviewer", _l("Reviewer"))]),
        default="editor",
        validators=[InputRequired()],
    )
    sections = MultiCheckboxField(
        _l("Sections this colleague answers (section editors)"), validate_choice=False
    )


class MemberRemoveForm(FlaskForm):
    member_id = HiddenField(validators=[InputRequired()])


class SubmitterForm(FlaskForm):
    user_id = SelectField(_l("Submitter"), coerce=int, validators=[InputRequired()])


class OptInForm(FlaskForm):
    opt_in = BooleanField(_l("Count our country, anonymously, in the regional and global benchmark"))


class TransitionForm(FlaskForm):
    action = HiddenField(validators=[InputRequired()])
    confirm = BooleanField(
        _l("I confirm that the team has finished and the answers can be sent to the secretariat")
    )


class NoteForm(FlaskForm):
    dimension = SelectField(_l("About"), validators=[Optional()])
    text = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=MAX_NOTE)])


class AdviceForm(FlaskForm):
    service = SelectField(_l("Advisory service"), validators=[DataRequired()])
    message = TextAreaField(_l("What would you like help with? (optional)"), validators=[Length(max=2000)])


class AdviceStatusForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=choices(
            [
                ("requested", _l("requested")),
                ("accepted", _l("accepted")),
                ("in_progress", _l("in progress")),
                ("done", lazy_pgettext("advisory request", "done")),
                ("declined", _l("declined")),
            ]
        ),
        validators=[DataRequired()],
    )
    response = TextAreaField(_l("Message to the country (optional)"), validators=[Length(max=2000)])


class ConfirmForm(FlaskForm):
    """A button-only form (acknowledge, enrol): just the CSRF token."""


def yesno_choices():
    return [("yes", _l("Yes")), ("partly", _l("Partly")), ("no", _l("No"))]


def special_choices(item):
    out = []
    if item.allow_na:
        out.append((NOT_APPLICABLE, _l("Not applicable")))
    if item.allow_dk:
        out.append((DONT_KNOW, _l("Don't know")))
    return out


def field_names(index: int) -> dict[str, str]:
    return {
        "answer": f"a{index}",
        "ticks": f"t{index}",
        "comment": f"c{index}",
        "evidence": f"e{index}",
        "version": f"v{index}",
        "original": f"o{index}",
    }


def section_form_class(q: Questionnaire, dimension_id: str, lang: str) -> type[FlaskForm]:
    """A form class for one section; ``cls.items`` lists ``(item, field names)`` in order."""
    dim = q.dimension(dimension_id)
    attrs: dict = {"items": []}
    for index, item in enumerate(dim.items):
        names = field_names(index)
        if item.type == "checklist":
            attrs[names["ticks"]] = MultiCheckboxField(
                _l("Tick all that apply"),
                validate_choice=False,
                choices=choices((o.id, pick(o.label, lang, q.source_language)[0]) for o in item.options),
            )
            attrs[names["answer"]] = SelectField(
                _l("If you tick nothing"),
                validate_choice=False,
                choices=choices(
                    [("", _l("Not answered yet")), ("none", _l("None of these"))] + special_choices(item)
                ),
            )
        else:
            if item.type == "rubric":
                pairs = [
                    (str(n), f"{n} — {pick(text, lang, q.source_language)[0]}")
                    for n, text in enumerate(item.levels)
                ]
            elif item.type == "yesno":
                pairs = yesno_choices()
            else:
                pairs = [(o.id, pick(o.label, lang, q.source_language)[0]) for o in item.options]
            attrs[names["answer"]] = RadioField(
                pick(item.text, lang, q.source_language)[0],
                validate_choice=False,
                choices=choices(pairs + special_choices(item)),
            )
        attrs[names["comment"]] = TextAreaField(
            _l("Comment (optional)"), validators=[Length(max=MAX_COMMENT)]
        )
        attrs[names["evidence"]] = URLField(
            _l("Evidence link (optional)"),
            filters=[with_web_scheme],
            validators=[
                Optional(),
                URL(message=_l("Enter a web address starting with http:// or https://")),
                Length(max=500),
            ],
        )
        attrs[names["version"]] = HiddenField(default="0")
        attrs[names["original"]] = HiddenField(default="")
        attrs["items"].append((item, names))
    return type(f"SectionForm_{dimension_id}", (FlaskForm,), attrs)


# A web address typed as a browser's address bar shows it: a host name with a dot, then a path or nothing.
_BARE_ADDRESS = re.compile(
    r"^(www\.)?[^\s/:@]+\.(?P<tld>[a-z]{2,})(:\d+)?(?P<rest>[/?#]\S*)?$", re.IGNORECASE
)
# "Decree.pdf" is a file's name, not a site: without a path, these endings are not read as addresses.
_FILE_ENDINGS = {"pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "ppt", "pptx", "odp", "txt", "csv", "rtf"}
_FILE_ENDINGS |= {"jpg", "jpeg", "png", "gif", "zip", "html", "htm"}


def with_web_scheme(value):
    """An evidence link typed without its scheme ("www.example.org/decree") is read as https, as a
    browser's address bar does, instead of being refused; anything else is left to the validator."""
    if isinstance(value, str):
        value = value.strip()
        bare = _BARE_ADDRESS.match(value) if value and "://" not in value else None
        if bare and (bare["rest"] or bare["tld"].lower() not in _FILE_ENDINGS):
            return "https://" + value
    return value


def field_errors(form, exc) -> None:
    """Show a refused action's message (a :class:`readiness.base.ReadinessError`) at the form field it is
    about, or above the form."""
    name = getattr(exc, "field", None)
    if name and name in form:
        form[name].errors = [*form[name].errors, str(exc)]
    else:
        form.form_errors.append(str(exc))
