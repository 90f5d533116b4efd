"""The account e-mails say how long their link is valid in a plural the reader's language agrees with."""

from __future__ import annotations

import pytest

from lms.account import mails
from lms.db import db


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(86400, "The link is valid for 1 day."), (7 * 86400, "The link is valid for 7 days.")],
)
def test_confirmation_mail_counts_days(app, make_user, outbox, seconds, expected):
    app.config["ACCOUNT_CONFIRM_MAX_AGE"] = seconds
    user = make_user(email="fp@example.org")
    with app.test_request_context():
        mails.send_confirmation(user)
        db.session.flush()
    assert expected in outbox("fp@example.org")[-1].body


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(3600, "The link is valid for 1 hour and"), (2 * 3600, "The link is valid for 2 hours and")],
)
def test_password_reset_mail_counts_hours(app, make_user, outbox, seconds, expected):
    app.config["ACCOUNT_RESET_MAX_AGE"] = seconds
    user = make_user(email="fp@example.org")
    with app.test_request_context():
        mails.send_password_reset(user)
        db.session.flush()
    assert expected in outbox("fp@example.org")[-1].body
