"""courses: the Team page's form (add a trainer to the team of a course, kit or workshop)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length

from courses.forms import choices

ROLE_LABELS = {"author": _l("Co-author"), "owner": _l("Owner")}


class TeamMemberForm(FlaskForm):
    email = EmailField(
        _l("E-mail address of the trainer"),
        validators=[DataRequired(_l("Give the trainer's e-mail address.")), Length(max=254)],
    )
    role = SelectField(_l("Role"), default="author")
    submit = SubmitField(_l("Add to the team"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = choices(ROLE_LABELS.items())
