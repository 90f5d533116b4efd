"""webinars: cancelling a live session from its management page (its team and admins only). The form
sits in a disclosure on that page; a refusal shows the page again with the reason and changes nothing."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.auth import trainer_required
from webinars import services
from webinars.views import bp
from webinars.views_manage import _post


@bp.post("/manage/s/<slug>/cancel")
@trainer_required
def cancel_session(slug: str):
    def action(session, form):
        told = services.cancel_session(current_user, session, form.message.data or "")
        return " ".join(
            [
                _("The session is cancelled."),
                ngettext(
                    "%(num)s registered person was told by e-mail.",
                    "%(num)s registered people were told by e-mail.",
                    told,
                ),
            ]
        )

    return _post(slug, "cancel", action, "")
