"""courses: forms for workshop kits and workshops (Flask-WTF, CSRF on every POST form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from courses.forms import choices
from courses.models_kits import RESOURCE_TYPES
from courses.services.kits_files import max_kit_file_bytes
from courses.services.kits_texts import FIELD_LABELS, FIELDS, SHORT_FIELDS
from lms.account.forms import ChoiceField
from lms.config import LANGUAGES

FORMAT_LABELS = {"in_person": _l("In person"), "hybrid": _l("Hybrid (in person and online)")}
RESOURCE_LABELS = {
    "slides": _l("Slides"),
    "document": _l("Document"),
    "link": _l("Web page"),
    "video": _l("Video"),
}
PART_LABELS = {
    "case_study": _l("Case study"), "practice": _l("Best practice"), "agenda": _l("Agenda session"),
    "exercise": _l("Exercise"), "discussion": _l("Discussion question"), "handout": _l("Handout"),
    "resource": _l("Slides or resource"), "question": _l("Test question"),
}  # fmt: skip
PART_HINTS = {
    "overview": _l("Markdown. What the workshop is about and who it is for."),
    "objectives": _l('Markdown, one objective per list item: "- Explain …".'),
    "problem": _l("Markdown. The situation the country faced."),
    "action": _l("Markdown. What the team did, with whom and with which tools."),
    "results": _l("Markdown. What changed; figures where known."),
    "lessons": _l("Markdown. What others can take from it."),
}


def _languages():
    return choices((code, name) for code, (name, _d) in LANGUAGES.items())


class _KitFields(FlaskForm):
    slug = StringField(
        _l("Short name (used in addresses)"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("Lower-case letters, digits and hyphens, e.g. mercury-trade-workshop."),
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(), Length(max=2000)])
    overview = TextAreaField(
        _l("Overview"), validators=[DataRequired(), Length(max=50_000)], description=PART_HINTS["overview"]
    )
    objectives = TextAreaField(
        _l("Learning objectives"),
        validators=[DataRequired(), Length(max=10_000)],
        description=PART_HINTS["objectives"],
    )
    audience = StringField(_l("Audience"), validators=[Optional(), Length(max=300)])
    facilitator_notes = TextAreaField(
        _l("Notes for the facilitator"), validators=[Optional(), Length(max=50_000)]
    )
    articles = StringField(
        _l("Convention articles covered"),
        validators=[Optional(), Length(max=200)],
        description=_l("Numbers separated by commas, e.g. 3, 7."),
    )
    region = StringField(
        _l("Adapted for (region or country)"),
        validators=[Optional(), Length(max=120)],
        description=_l("Leave empty for the general kit."),
    )
    pass_mark = IntegerField(
        _l("Pass mark of the pre/post test (%)"),
        default=70,
        validators=[InputRequired(), NumberRange(0, 100)],
    )
    submit = SubmitField(_l("Save"))

    def texts(self) -> dict:
        return {k: getattr(self, k).data or "" for k in (*FIELDS["kit"][0], *FIELDS["kit"][1])}


class NewKitForm(_KitFields):
    source_language = SelectField(_l("Source language"), choices=_languages(), default="en")


class KitForm(_KitFields):
    pass


def part_form_class(kind: str) -> type[FlaskForm]:
    """A form for one kind of part: its source-language fields and its settings."""
    required, optional = FIELDS[kind]
    attrs: dict = {}
    for name in (*required, *optional):
        cls = StringField if name in SHORT_FIELDS else TextAreaField
        limit = 300 if name in SHORT_FIELDS else 50_000
        checks = [DataRequired()] if name in required else [Optional()]
        attrs[name] = cls(
            FIELD_LABELS[name],
            validators=[*checks, Length(max=limit)],
            description=PART_HINTS.get(name, _l("Markdown.") if cls is TextAreaField else ""),
        )
    if kind == "case_study":
        attrs["country"] = SelectField(_l("Country"), choices=[], validate_choice=False, default="")
    if kind in ("agenda", "exercise"):
        attrs["minutes"] = IntegerField(
            _l("Duration (minutes)"), default=30, validators=[InputRequired(), NumberRange(1, 600)]
        )
    if kind == "resource":
        attrs["url"] = StringField(
            _l("Address (starting with https:// or http://)"), validators=[Optional(), Length(max=1000)]
        )
        attrs["file"] = FileField(_l("Or a file (slides or document)"))
        attrs["type"] = SelectField(
            _l("Type"), choices=choices((t, RESOURCE_LABELS[t]) for t in RESOURCE_TYPES)
        )
    attrs["submit"] = SubmitField(_l("Save"))
    return type(f"KitPartForm_{kind}", (FlaskForm,), attrs)


def part_values(kind: str, form) -> tuple[dict, dict]:
    """``(fields, settings)`` from a submitted part form."""
    required, optional = FIELDS[kind]
    fields = {name: getattr(form, name).data or "" for name in (*required, *optional)}
    settings = {
        key: getattr(form, key).data for key in ("country", "minutes", "url", "type") if hasattr(form, key)
    }
    upload = getattr(form, "file", None) and form.file.data
    if upload:  # read one byte past the limit: the service says the file is too large
        data = upload.read(max_kit_file_bytes() + 1)
        upload.close()
        settings["upload"] = (upload.filename or "", data)
    return fields, settings


class CopyKitForm(FlaskForm):
    slug = StringField(_l("Short name of the copy"), validators=[DataRequired(), Length(max=80)])
    title = StringField(_l("Title of the copy"), validators=[DataRequired(), Length(max=300)])
    region = StringField(_l("Adapted for (region or country)"), validators=[DataRequired(), Length(max=120)])
    submit = SubmitField(_l("Copy the kit"))


class WorkshopForm(FlaskForm):
    kit = SelectField(_l("Kit delivered"), choices=[], validate_choice=True)
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Optional(), Length(max=20_000)])
    start_date = DateField(_l("First day"), validators=[DataRequired()])
    end_date = DateField(_l("Last day"), validators=[DataRequired()])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=120)])
    # No country until the trainer chooses one: a first choice in the list would be saved unnoticed.
    country_code = ChoiceField(
        _l("Country"),
        choices=[],
        validators=[DataRequired(message=_l("Choose a country from the list."))],
        invalid_message=_l("Choose a country from the list."),
    )
    format = SelectField(_l("Format"), choices=choices(FORMAT_LABELS.items()))
    online_url = URLField(
        _l("Address to join online (hybrid workshops, https://, optional)"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "Only registered participants see it: on the workshop page, in their mails and calendar file."
        ),
    )
    daily_start = TimeField(_l("Each day starts at (optional)"), validators=[Optional()])
    daily_end = TimeField(_l("Each day ends at (optional)"), validators=[Optional()])
    # Choices in the reader's language (views: _workshop_form); empty: the country's only or main zone.
    time_zone = SelectField(
        _l("Time zone of the venue"),
        choices=[],
        validate_choice=False,
        description=_l(
            "Leave it empty for the country's time zone; choose one where the country has several."
        ),
    )
    languages = SelectMultipleField(
        _l("Languages"),
        choices=_languages(),
        validators=[DataRequired()],
        description=_l("The languages the workshop is held in (hold Ctrl to choose several)."),
    )
    organiser = StringField(_l("Organiser"), validators=[DataRequired(), Length(max=300)])
    partners = StringField(_l("Partners"), validators=[Optional(), Length(max=1000)])
    capacity = IntegerField(_l("Places"), default=30, validators=[InputRequired(), NumberRange(1, 10000)])
    is_registration_open = BooleanField(_l("Registration is open"), default=True)
    submit = SubmitField(_l("Save"))

    def values(self) -> dict:
        return {
            k: getattr(self, k).data
            for k in (
                "title",
                "description",
                "start_date",
                "end_date",
                "city",
                "country_code",
                "format",
                "online_url",
                "daily_start",
                "daily_end",
                "time_zone",
                "languages",
                "organiser",
                "partners",
                "capacity",
                "is_registration_open",
            )
        }


class ParticipantForm(FlaskForm):
    """One person registered by the trainer (someone who arrives without having registered)."""

    email = StringField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    country = SelectField(_l("Country"), choices=[], validate_choice=True, validators=[Optional()])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Register this person"))


class FeedbackForm(FlaskForm):
    rating = SelectField(
        _l("Your overall rating"),
        choices=choices(
            [
                ("", _l("Choose…")),
                ("5", _l("5 — excellent")),
                ("4", _l("4 — good")),
                ("3", _l("3 — fair")),
                ("2", _l("2 — poor")),
                ("1", _l("1 — very poor")),
            ]
        ),
        validators=[DataRequired()],
    )
    comment = TextAreaField(
        _l("Comments (optional)"),
        validators=[Optional(), Length(max=4000)],
        description=_l("What was most useful? What should change? Trainers see comments without your name."),
    )
    submit = SubmitField(_l("Send my feedback"))
