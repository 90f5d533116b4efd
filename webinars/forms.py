"""webinars: forms (Flask-WTF, CSRF on every posted form; the archive filters and search are GET
forms without CSRF)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)  # fmt: skip
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from lms.config import LANGUAGES
from lms.timezones import moment, reader_zone, reader_zone_is_default
from webinars.cancellation import MESSAGE_MAX


def options(pairs) -> list[SelectChoice]:
    """``(value, label)`` pairs as the options of a select field."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


LANGUAGE_CHOICES = options((code, name) for code, (name, _dir) in LANGUAGES.items())
ANY_LANGUAGE = options([("", _l("Any language"))])


def parse_clock(value: str) -> int | None:
    """``h:mm:ss``, ``mm:ss`` or seconds -> seconds; ``None`` when malformed."""
    v = (value or "").strip()
    if re.fullmatch(r"\d+", v):
        return int(v)
    m = re.fullmatch(r"(?:(\d+):)?([0-5]?\d):([0-5]\d)", v)
    if not m:
        return None
    return int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + int(m.group(3))


class ClockField(StringField):
    """A moment in the recording typed as ``h:mm:ss``, ``mm:ss`` or seconds."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.seconds = parse_clock(self.data or "")

    def pre_validate(self, form):
        if (self.data or "").strip() and parse_clock(self.data) is None:
            raise ValidationError(_l("Write the time as h:mm:ss, mm:ss or a number of seconds."))


class ZonedDateTimeField(DateTimeLocalField):
    """A date and time entered in the reader's time zone (:func:`lms.timezones.reader_zone`, which the
    page names); ``.data`` is the UTC moment, timezone-aware. A time the clocks skip in that zone (the
    hour lost when summer time starts) is refused rather than moved. A time they pass twice (the hour
    repeated when summer time ends) is refused too, unless it is one way the time already stored
    (:meth:`keep`): saving a form unchanged never moves a session."""

    ambiguous: tuple[datetime, datetime] | None = None

    def process_formdata(self, valuelist):
        self.ambiguous = None
        super().process_formdata(valuelist)
        if self.data is not None and self.data.tzinfo is None:
            zone = ZoneInfo(reader_zone())
            first, second = self.data.replace(tzinfo=zone), self.data.replace(tzinfo=zone, fold=1)
            if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != self.data:
                self.data = None
                skipped = _l("This time does not exist in your time zone: the clocks move forward then.")
                raise ValueError(skipped)
            self.data = first.astimezone(UTC)
            if second.utcoffset() != first.utcoffset():
                self.ambiguous = (self.data, second.astimezone(UTC))

    def keep(self, stored: datetime | None) -> None:
        """Read a time the clocks pass twice as ``stored`` when it is one of its two readings."""
        if self.ambiguous and stored in self.ambiguous:
            self.data, self.ambiguous = stored, None

    def pre_validate(self, form):
        if self.ambiguous:
            raise ValidationError(
                _l(
                    "This time happens twice in your time zone: the clocks go back then. Choose another "
                    "time, or enter it in UTC (choose UTC as your time zone in your profile)."
                )
            )

    def _value(self):
        if isinstance(self.data, datetime):
            return self.data.astimezone(ZoneInfo(reader_zone())).strftime("%Y-%m-%dT%H:%M")
        return super()._value()


class ArchiveFilterForm(FlaskForm):
    class Meta:
        csrf = False

    season = SelectField(_l("Season"), choices=[], validators=[Optional()], validate_choice=False)
    article = SelectField(
        _l("Convention article"), choices=[], validators=[Optional()], validate_choice=False
    )
    language = SelectField(_l("Language"), choices=ANY_LANGUAGE + LANGUAGE_CHOICES, validators=[Optional()])


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Words spoken or written in a session"), validators=[Length(max=200)])
    language = SelectField(_l("Language"), choices=ANY_LANGUAGE + LANGUAGE_CHOICES, validators=[Optional()])


class SourceTextForm(FlaskForm):
    """A season's or session's title and description in the language the author chooses (its source
    language); the other languages' are written with :class:`TextForm`."""

    source_language = SelectField(
        _l("Language of the title and description below"), choices=LANGUAGE_CHOICES, default="en"
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Length(max=10000)])


class SeasonForm(SourceTextForm):
    number = IntegerField(_l("Season number"), validators=[InputRequired(), NumberRange(1, 99)])


class SessionForm(SourceTextForm):
    season = SelectField(_l("Season"), coerce=int, validators=[InputRequired()])
    slug = StringField(_l("Short name for the address (optional)"), validators=[Optional(), Length(max=100)])
    start = ZonedDateTimeField(lazy_pgettext("webinar session", "Start"), validators=[InputRequired()])
    second_start = ZonedDateTimeField(
        _l("Second run, for other time zones (optional)"), validators=[Optional()]
    )
    duration_min = IntegerField(
        _l("Duration (minutes)"), default=90, validators=[InputRequired(), NumberRange(5, 600)]
    )
    join_url = URLField(
        _l("Address where registered people join the live session (https://, optional)"),
        validators=[Optional(), Length(max=500)],
    )
    speakers = TextAreaField(_l("Speakers, one per line: name — affiliation"), validators=[Length(max=3000)])
    articles = StringField(
        _l("Convention articles (numbers separated by commas)"), validators=[Length(max=100)]
    )
    languages = StringField(
        _l("Languages offered (codes separated by commas, e.g. en, fr, es)"), validators=[Length(max=60)]
    )


class TextForm(FlaskForm):
    """A season's or session's title and description in one more language. The language is fixed by the
    page (its "Edit <language>" links), not chosen in the form: a choice there would keep the text of
    the language shown and save it as another's."""

    language = HiddenField(validators=[AnyOf(list(LANGUAGES))])
    title = StringField(_l("Title"), validators=[Length(max=200)])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Length(max=10000)])


class RecordingForm(FlaskForm):
    language = SelectField(_l("Language (interpretation channel)"), choices=LANGUAGE_CHOICES)
    kind = SelectField(
        _l("Rendition"), choices=options([("video", _l("Video")), ("audio", _l("Audio only"))])
    )
    file = FileField(_l("Upload a file (MP4, WebM; audio: Opus, Ogg, MP3, M4A, WAV)"))
    url = URLField(
        _l("…or the address of the recording elsewhere (https://, e.g. YouTube or UN Web TV)"),
        validators=[Optional(), Length(max=500)],
    )


class CaptionForm(FlaskForm):
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    file = FileField(_l("Captions file (WebVTT .vtt or SubRip .srt, UTF-8)"), validators=[FileRequired()])


class AttachmentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(_l("Language"), choices=ANY_LANGUAGE + LANGUAGE_CHOICES, validators=[Optional()])
    file = FileField(_l("File (PDF, PPTX, ODP, DOCX)"), validators=[FileRequired()])


class ChapterForm(FlaskForm):
    start = ClockField(_l("Starts at (h:mm:ss)"), validators=[DataRequired()])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=200)])
    title_fr = StringField(_l("Title (French)"), validators=[Length(max=200)])
    title_es = StringField(_l("Title (Spanish)"), validators=[Length(max=200)])
    title_ar = StringField(_l("Title (Arabic)"), validators=[Length(max=200)])
    title_zh = StringField(_l("Title (Chinese)"), validators=[Length(max=200)])
    title_ru = StringField(_l("Title (Russian)"), validators=[Length(max=200)])
    articles = StringField(
        _l("Convention articles (numbers separated by commas)"), validators=[Length(max=100)]
    )

    def titles(self) -> dict:
        return {code: getattr(self, f"title_{code}").data or "" for code in LANGUAGES}


def one_char_line_breaks(value):
    """Browsers submit a textarea's line breaks as CRLF but count each as one character (maxlength):
    count them as the service stores them, as LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class CancelSessionForm(FlaskForm):
    message = TextAreaField(
        _l("Message to the registrants (optional, plain text)"),
        filters=[one_char_line_breaks],
        validators=[Length(max=MESSAGE_MAX, message=_l("The message has at most 1000 characters."))],
    )


class CSVImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])


class ModerateForm(FlaskForm):
    action = SelectField(
        _l("Decision"),
        choices=options(
            [
                ("answer", _l("Publish with this answer")),
                ("publish", _l("Publish without an answer for now")),
                ("reject", _l("Reject")),
            ]
        ),
    )
    answer = TextAreaField(_l("Answer"), validators=[Length(max=5000)])
    answered_by = StringField(_l("Answered by"), validators=[Length(max=200)])


class QuestionForm(FlaskForm):
    question = TextAreaField(
        _l("Your question"),
        # The shortest question is checked by the service, which counts a Chinese or Japanese character
        # as two: "汞废物如何储存？" is a whole question in eight characters.
        validators=[DataRequired(), Length(max=2000, message=_l("A question has 10 to 2000 characters."))],
    )
    time_s = HiddenField()


class RegisterForm(FlaskForm):
    run = SelectField(_l("Which run?"), coerce=int, choices=options([(1, "1")]))

    def offer_runs(self, runs: list[datetime]) -> None:
        """Offer a session's runs, numbered from 1, each written with its zone's name. For a reader
        without a zone of their own, each also carries its UTC moment (``data-utc``), which the player's
        script shows in the browser's zone, like the page's other times."""

        def utc(run: datetime) -> dict | None:
            return {"data-utc": run.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")} if marked else None

        marked = reader_zone_is_default()
        self.run.choices = [
            SelectChoice(value=n, label=moment(run), render_kw=utc(run))
            for n, run in enumerate(runs, start=1)
        ]


class CohostForm(FlaskForm):
    email = EmailField(_l("E-mail address of the trainer"), validators=[DataRequired(), Length(max=254)])


class ActionForm(FlaskForm):
    """A button-only form (publish, follow, upvote, delete): CSRF token only."""
