"""Registration: the form, the account it creates, the confirmation e-mail, and refused input."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from lms import signals
from lms.account.creation import register_user
from lms.account.errors import AccountError
from lms.db import db
from lms.models import OutboxMessage, User

GOOD = {
    "name": "Aminata Diallo",
    "email": "Aminata.Diallo@Example.org",
    "password": "mercury-free-2030",
    "confirm": "mercury-free-2030",
    "country": "SN",
    "organisation": "Ministère de l'Environnement",
    "locale": "fr",
    "is_focal_point": "y",
}


def _users() -> int:
    return db.session.scalar(select(func.count(User.id)))


def _mails() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def test_register_page_lists_localised_countries_and_languages_in_themselves(client, countries):
    html = client.get("/account/register", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<option value="CH">Suisse</option>' in html
    assert '<option value="SN">Sénégal</option>' in html
    for code, name in (("ar", "العربية"), ("zh", "中文"), ("ru", "Русский"), ("es", "Español")):
        assert f'<option value="{code}">{name}</option>' in html
    assert 'for="is_focal_point"' in html


def test_register_creates_unconfirmed_learner_and_mails_confirmation(client, countries, outbox):
    received = []

    def on_registered(sender, **kw):
        received.append(sender.email)

    with signals.user_registered.connected_to(on_registered):
        resp = client.post("/account/register", data=GOOD)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/account/login")
    user = db.session.scalar(select(User))
    assert user.email == "aminata.diallo@example.org"
    assert (user.name, user.country_code, user.locale, user.role) == ("Aminata Diallo", "SN", "fr", "learner")
    assert user.is_focal_point is True and user.confirmed_dt is None
    assert user.organisation == "Ministère de l'Environnement"
    assert user.password_hash.startswith("scrypt:") and user.check_password("mercury-free-2030")
    assert received == ["aminata.diallo@example.org"]
    [mail] = outbox("aminata.diallo@example.org")
    assert "/account/confirm/" in mail.body and mail.body.count("http://lms.test/account/confirm/") == 1
    assert "Minamata LMS" in mail.subject


def test_signed_in_user_is_sent_to_profile(client, make_user, login):
    login(make_user())
    resp = client.get("/account/register")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/account/profile")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"email": "not-an-address"}, "Enter a valid e-mail address."),
        ({"password": "short", "confirm": "short"}, "The password must have between 10 and 256 characters."),
        ({"password": "aaaaaaaaaaaa", "confirm": "aaaaaaaaaaaa"}, "too easy to guess"),
        ({"confirm": "something-else-entirely"}, "The two passwords do not match."),
        ({"country": "XX"}, "Choose a country from the list."),
        ({"country": ""}, "Choose a country from the list."),
        ({"locale": "de"}, "Choose one of the languages offered."),
        ({"name": "   "}, "This field is required."),
        ({"name": "x" * 201}, "Field cannot be longer than 200 characters."),
    ],
)
def test_register_refuses_bad_input_whole(client, countries, change, reason):
    resp = client.post("/account/register", data={**GOOD, **change})
    assert resp.status_code == 400
    assert reason in resp.get_data(as_text=True)
    assert _users() == 0 and _mails() == 0


def test_errors_are_listed_in_the_order_of_the_form(client, countries):
    """The list of errors above the form follows the form: name, e-mail, passwords, then country."""
    resp = client.post("/account/register", data={"email": "not-an-address", "password": "short"})
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    links = [summary.index(f'href="#{name}"') for name in ("name", "email", "password", "confirm", "country")]
    assert links == sorted(links)


def test_register_with_a_taken_address_answers_like_a_new_one_and_mails_its_owner(client, make_user, outbox):
    owner = make_user(email="aminata.diallo@example.org", name="Aminata Owner")
    taken = client.post("/account/register", data=GOOD, follow_redirects=True)
    db.session.execute(delete(OutboxMessage))
    db.session.execute(delete(User).where(User.id == owner.id))
    db.session.commit()
    fresh = client.post("/account/register", data=GOOD, follow_redirects=True)

    assert taken.status_code == fresh.status_code == 200
    assert taken.request.path == fresh.request.path == "/account/login"
    assert "Check your e-mail" in taken.get_data(as_text=True)
    assert taken.get_data(as_text=True) == fresh.get_data(as_text=True)
    assert "already exists" not in taken.get_data(as_text=True)


def test_owner_of_a_taken_address_gets_a_notice_and_nothing_changes(client, make_user, outbox):
    owner = make_user(email="aminata.diallo@example.org", name="Aminata Owner", locale="en")
    resp = client.post("/account/register", data={**GOOD, "email": "AMINATA.diallo@example.org"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/account/login")
    assert _users() == 1
    db.session.refresh(owner)
    assert owner.name == "Aminata Owner" and owner.check_password("mercury-free-2030") is False
    [mail] = outbox("aminata.diallo@example.org")
    assert "tried to register" in mail.subject
    assert (
        "http://lms.test/account/login" in mail.body
        and "http://lms.test/account/password/forgot" in mail.body
    )
    assert "/account/confirm/" not in mail.body


def test_deactivated_owner_gets_no_notice(client, make_user):
    make_user(email="aminata.diallo@example.org", is_active_account=False)
    resp = client.post("/account/register", data=GOOD)
    assert resp.status_code == 302 and _users() == 1 and _mails() == 0


def test_double_submit_shows_one_success_and_no_error(client, countries):
    first = client.post("/account/register", data=GOOD)
    second = client.post("/account/register", data=GOOD)
    assert first.status_code == second.status_code == 302
    html = client.get("/account/login").get_data(as_text=True)
    assert html.count("Check your e-mail") == 1
    assert 'class="error' not in html and "already" not in html
    assert _users() == 1


def test_register_password_equal_to_email_is_refused(client, countries):
    data = {
        **GOOD,
        "email": "longaddress@example.org",
        "password": "longaddress@example.org",
        "confirm": "longaddress@example.org",
    }
    resp = client.post("/account/register", data=data)
    assert resp.status_code == 400
    assert "must not be your e-mail address" in resp.get_data(as_text=True)
    assert _users() == 0


def test_service_refuses_unknown_country_and_writes_nothing(app, countries):
    with pytest.raises(AccountError) as info:
        register_user(email="a@example.org", name="A", password="mercury-free-2030", country_code="ZZ")
    assert info.value.field == "country"
    db.session.rollback()
    assert _users() == 0 and _mails() == 0


def test_service_refuses_country_missing_from_the_database(app, countries):
    from lms.models import Country

    db.session.delete(db.session.get(Country, "NU"))
    db.session.commit()
    with pytest.raises(AccountError, match="Choose a country"):
        register_user(email="a@example.org", name="A", password="mercury-free-2030", country_code="NU")
