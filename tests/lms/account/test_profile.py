"""Profile edits and password change."""

from __future__ import annotations

import re

import pytest

from lms.db import db
from lms.models import User

PASSWORD = "correct horse battery staple"
PROFILE = {
    "name": "Léa Ndiaye",
    "country": "SN",
    "organisation": "DEEC",
    "locale": "fr",
    "is_focal_point": "y",
}


@pytest.fixture
def user(make_user, login):
    u = make_user(email="lea@example.org", country_code="FR")
    login(u)
    return u


def _fresh(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_profile_shows_current_values(client, user):
    html = client.get("/account/profile").get_data(as_text=True)
    assert 'value="lea@example.org"' not in html  # the address is shown, not editable
    assert "lea@example.org" in html
    assert '<option selected value="FR">' in html
    assert f'value="{user.name}"' in html


def test_profile_update_saves_everything(client, user):
    resp = client.post("/account/profile", data=PROFILE)
    assert resp.status_code == 302
    u = _fresh(user)
    assert (u.name, u.country_code, u.organisation, u.locale, u.is_focal_point) == (
        "Léa Ndiaye",
        "SN",
        "DEEC",
        "fr",
        True,
    )
    # Unticking the box clears the flag; e-mail and role cannot be changed from here.
    resp = client.post(
        "/account/profile",
        data={
            **{k: v for k, v in PROFILE.items() if k != "is_focal_point"},
            "email": "x@example.org",
            "role": "admin",
        },
    )
    u = _fresh(user)
    assert u.is_focal_point is False and u.email == "lea@example.org" and u.role == "learner"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"country": "XX"}, "Choose a country from the list."),
        ({"locale": "xx"}, "Choose one of the languages offered."),
        ({"name": ""}, "This field is required."),
        ({"organisation": "o" * 201}, "Field cannot be longer than 200 characters."),
    ],
)
def test_profile_bad_input_changes_nothing(client, user, change, reason):
    resp = client.post("/account/profile", data={**PROFILE, **change})
    assert resp.status_code == 400 and reason in resp.get_data(as_text=True)
    u = _fresh(user)
    assert (u.name, u.country_code, u.locale, u.is_focal_point) == (user.name, "FR", "en", False)


def test_change_password(client, user):
    resp = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "a new passphrase!", "confirm": "a new passphrase!"},
    )
    assert resp.status_code == 302
    assert _fresh(user).check_password("a new passphrase!")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            {
                "current_password": "wrong password",
                "password": "a new passphrase!",
                "confirm": "a new passphrase!",
            },
            "The current password is not correct.",
        ),
        ({"current_password": PASSWORD, "password": "tooshort", "confirm": "tooshort"}, "between 10 and 256"),
        (
            {
                "current_password": PASSWORD,
                "password": "a new passphrase!",
                "confirm": "different passphrase",
            },
            "do not match",
        ),
    ],
)
def test_change_password_refusals_keep_the_old_one(client, user, data, reason):
    resp = client.post("/account/password", data=data)
    assert resp.status_code == 400 and reason in resp.get_data(as_text=True)
    assert _fresh(user).check_password(PASSWORD)


def _reminder_box(client):
    html = client.get("/account/profile").get_data(as_text=True)
    return re.search(r'<input[^>]*name="is_reminders_off"[^>]*>', html).group(0)


def test_reminder_emails_can_be_turned_off_and_on(client, user):
    assert "checked" not in _reminder_box(client)
    client.post("/account/profile", data={**PROFILE, "is_reminders_off": "y"})
    assert _fresh(user).is_reminders_off is True
    assert "checked" in _reminder_box(client)
    client.post("/account/profile", data=PROFILE)
    assert _fresh(user).is_reminders_off is False


def test_profile_saved_message_is_in_the_newly_chosen_language(client, user):
    # The learner reads the page in English and switches the profile to French: the confirmation
    # comes on the French page, so it must be French too.
    resp = client.post("/account/profile", data=PROFILE, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert "Votre profil est enregistré." in html
    assert "Your profile is saved." not in html


def test_the_reminder_box_says_which_reminders_it_stops(client, user):
    # The box's explanation was written but never shown; its hint is tied to the box.
    html = client.get("/account/profile").get_data(as_text=True)
    assert 'aria-describedby="is_reminders_off-hint"' in _reminder_box(client)
    assert '<p class="hint" id="is_reminders_off-hint">About modules you have not finished' in html


def test_a_coordinator_keeps_the_country_they_coordinate(client, make_user, login):
    coordinator = make_user(role="coordinator", email="co@example.org", country_code="FR")
    login(coordinator)
    moved = {**PROFILE, "name": "Co Ordinator"}  # PROFILE moves to Senegal
    resp = client.post("/account/profile", data=moved)
    assert resp.status_code == 400 and "ask the secretariat" in resp.get_data(as_text=True)
    assert _fresh(coordinator).country_code == "FR"
    # Everything else of the profile is theirs to change, the country included once it stays the same.
    resp = client.post("/account/profile", data={**moved, "country": "FR"})
    assert resp.status_code == 302
    assert _fresh(coordinator).name == "Co Ordinator" and _fresh(coordinator).organisation == "DEEC"
