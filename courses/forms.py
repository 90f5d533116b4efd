"""courses: learner-side forms (Flask-WTF, CSRF on every POST form). Authoring forms are in
:mod:`courses.forms_authoring`. Quiz answer sheets are built by hand in the template (their fields
depend on the questions drawn) and carry ``csrf_token()``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from courses.models import LEVELS
from lms.config import LANGUAGES


def choices(pairs) -> list[SelectChoice]:
    """WTForms 3.3 wants :class:`SelectChoice` objects rather than tuples."""
    return [SelectChoice(str(value), label) for value, label in pairs]


LEVEL_LABELS = {
    "introductory": _l("Introductory"),
    "intermediate": _l("Intermediate"),
    "advanced": _l("Advanced"),
}


class ActionForm(FlaskForm):
    """A button that changes something (enrol, continue, mark as done, start an attempt, publish)."""

    submit = SubmitField(_l("Continue"))


class CatalogueFilterForm(FlaskForm):
    """The catalogue's filters (GET, so no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    language = SelectField(_l("Language"), default="")
    article = SelectField(_l("Convention article"), default="")
    level = SelectField(_l("Level"), default="")
    submit = SubmitField(_l("Filter"))

    def setup(self, articles: list[int]) -> CatalogueFilterForm:
        self.language.choices = choices(
            [("", _l("Any language"))] + [(c, n) for c, (n, _d) in LANGUAGES.items()]
        )
        self.article.choices = choices(
            [("", _l("Any article"))] + [(str(a), _l("Article %(n)s", n=a)) for a in articles]
        )
        self.level.choices = choices([("", _l("Any level"))] + [(lv, LEVEL_LABELS[lv]) for lv in LEVELS])
        return self


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False

    code = StringField(
        _l("Verification code"),
        validators=[DataRequired(), Length(max=30)],
        description=_l("As printed on the certificate, for example ABCD-EFGH-JKMN."),
    )
    submit = SubmitField(_l("Verify"))
