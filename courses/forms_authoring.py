"""courses: authoring forms (trainers). Every POST form is a Flask-WTF form with a CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from courses.forms import LEVEL_LABELS, choices
from courses.models import LEVELS
from courses.services.questions import KIND_LABELS
from lms.config import LANGUAGES

ROWS = 6  # option / pair / step rows shown on a question form (blank rows are ignored)


def _languages():
    return choices((code, name) for code, (name, _d) in LANGUAGES.items())


class CourseForm(FlaskForm):
    slug = StringField(
        _l("Short name (used in addresses)"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("Lower-case letters, digits and hyphens, e.g. article-3-supply-trade."),
    )
    source_language = SelectField(_l("Source language"), choices=_languages(), default="en")
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(), Length(max=2000)])
    audience = StringField(_l("Audience"), validators=[Optional(), Length(max=300)])
    level = SelectField(_l("Level"), choices=choices((lv, LEVEL_LABELS[lv]) for lv in LEVELS))
    estimated_minutes = IntegerField(
        _l("Estimated time (minutes)"),
        default=30,
        validators=[InputRequired(), NumberRange(min=1, max=10000)],
    )
    articles = StringField(
        _l("Convention articles covered"),
        validators=[Optional(), Length(max=200)],
        description=_l("Numbers separated by commas, e.g. 3, 4, 21."),
    )
    prerequisites = SelectMultipleField(
        _l("Prerequisites (modules to complete first)"), choices=[], validate_choice=True
    )
    is_certificate = BooleanField(_l("Issue a certificate on completion"), default=True)
    submit = SubmitField(_l("Save"))


class UnitForm(FlaskForm):
    title = StringField(_l("Unit title"), validators=[DataRequired(), Length(max=300)])
    once = HiddenField()  # one-time token: a resubmitted "new unit" form adds nothing (views.common)
    submit = SubmitField(_l("Save"))


class TitleForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    submit = SubmitField(_l("Save"))


class _StepFields(FlaskForm):
    once = HiddenField()  # one-time token of the creation forms (views.common.spend_once)
    slug = StringField(_l("Short name (used in addresses)"), validators=[DataRequired(), Length(max=80)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    is_required = BooleanField(_l("Required to complete the module"), default=True)
    estimated_minutes = IntegerField(
        _l("Estimated time (minutes)"), default=10, validators=[InputRequired(), NumberRange(min=1, max=1000)]
    )


class LessonForm(_StepFields):
    body = TextAreaField(
        _l("Text (Markdown)"),
        validators=[DataRequired(), Length(max=100_000)],
        description=_l(
            "Markdown: **bold**, *italic*, lists, tables, links; images as "
            "![description](media/file.png) after uploading them."
        ),
    )
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Save"))


class QuizForm(_StepFields):
    intro = TextAreaField(_l("Introduction (Markdown)"), validators=[Optional(), Length(max=10_000)])
    pass_mark = IntegerField(
        _l("Pass mark (%)"), default=70, validators=[InputRequired(), NumberRange(0, 100)]
    )
    max_attempts = IntegerField(
        _l("Attempts allowed (0 = unlimited)"), default=0, validators=[InputRequired(), NumberRange(0, 100)]
    )
    draw = IntegerField(
        _l("Questions drawn per attempt (0 = all)"),
        default=0,
        validators=[InputRequired(), NumberRange(0, 500)],
        description=_l("With a larger question bank, each attempt gets a random selection."),
    )
    shuffle = BooleanField(_l("Shuffle questions and options"), default=True)
    submit = SubmitField(_l("Save"))


class OptionRow(Form):
    id = HiddenField()
    text = StringField(_l("Option text"), validators=[Optional(), Length(max=1000)])
    feedback = StringField(_l("Feedback when chosen"), validators=[Optional(), Length(max=1000)])
    correct = BooleanField(_l("Correct"))


class PairRow(Form):
    id = HiddenField()
    source = StringField(_l("Item"), validators=[Optional(), Length(max=500)])
    target = StringField(_l("Matches"), validators=[Optional(), Length(max=500)])


class StepRow(Form):
    id = HiddenField()
    text = StringField(_l("Step"), validators=[Optional(), Length(max=500)])


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Question type"), choices=choices(KIND_LABELS.items()))
    once = HiddenField()  # one-time token of the "new question" form (views.common.spend_once)
    prompt = TextAreaField(_l("Question (Markdown)"), validators=[DataRequired(), Length(max=5000)])
    points = StringField(_l("Points"), default="1", validators=[DataRequired(), Length(max=10)])
    options = FieldList(FormField(OptionRow), _l("Options"), min_entries=ROWS, max_entries=20)
    truefalse = SelectField(
        _l("The statement is"),
        choices=choices([("", _l("Choose…")), ("true", _l("True")), ("false", _l("False"))]),
        default="",
        validate_choice=False,
        render_kw={"required": True},
    )  # only shown (and required) for true/false: no silent default answer
    answer = StringField(_l("Correct number"), validators=[Optional(), Length(max=50)])
    tolerance = StringField(_l("Tolerance (±)"), default="0", validators=[Optional(), Length(max=50)])
    accepted = TextAreaField(
        _l("Accepted answers, one per line"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Capitals and extra spaces are ignored."),
    )
    pairs = FieldList(FormField(PairRow), _l("Pairs"), min_entries=ROWS, max_entries=20)
    steps = FieldList(FormField(StepRow), _l("Steps"), min_entries=ROWS, max_entries=20)
    feedback_correct = TextAreaField(_l("Feedback when correct"), validators=[Optional(), Length(max=2000)])
    feedback_incorrect = TextAreaField(
        _l("Feedback when not correct"), validators=[Optional(), Length(max=2000)]
    )
    submit = SubmitField(_l("Save"))

    def validate_truefalse(self, field) -> None:
        if self.kind.data == "truefalse" and field.data not in ("true", "false"):
            raise ValidationError(_l("Choose whether the statement is true or false."))

    def attach_error(self, exc) -> None:
        """Show a service refusal against the field it is about (points, options, accepted answers…);
        the prompt only when it names no field of this form."""
        name = getattr(exc, "field", None)
        target = self._fields.get(name) if name else None
        (target if target is not None else self.prompt).errors.append(str(exc))

    def data_for_service(self) -> dict:
        return {
            "prompt": self.prompt.data,
            "points": self.points.data,
            "feedback_correct": self.feedback_correct.data,
            "feedback_incorrect": self.feedback_incorrect.data,
            "options": [dict(r.data) for r in self.options],
            "answer": self.answer.data if self.kind.data == "numeric" else self.truefalse.data,
            "tolerance": self.tolerance.data,
            "accepted": self.accepted.data,
            "pairs": [dict(r.data) for r in self.pairs],
            "items": [dict(r.data) for r in self.steps],
        }


class PublishForm(FlaskForm):
    note = StringField(
        _l("What changed (shown in the version history)"), validators=[Optional(), Length(max=500)]
    )
    submit = SubmitField(_l("Publish a new version"))


class ConfirmForm(FlaskForm):
    confirm = BooleanField(_l("Yes, I am sure"), validators=[DataRequired(_l("Tick the box to confirm."))])
    submit = SubmitField(_l("Confirm"))


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[DataRequired()])


class MessageForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=10_000)])
    submit = SubmitField(_l("Send to every enrolled learner"))


class UploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired()])
    submit = SubmitField(_l("Upload"))


class PackageUploadForm(UploadForm):
    title = StringField(_l("Title (when the package has none)"), validators=[Optional(), Length(max=300)])
    slug = StringField(_l("Short name (used in addresses)"), validators=[DataRequired(), Length(max=80)])
    is_required = BooleanField(_l("Required to complete the module"), default=True)
