"""An administrator invites people (one by one or from a CSV list): the account is created unconfirmed,
audited, and mailed a link to choose a password, in the invitee's language; a refused invitation keeps
what was typed and says why; the user's page shows a pending invitation and sends it again."""

from __future__ import annotations

import re

import pytest
from flask_babel import get_locale
from sqlalchemy import func, select

from lms.db import db
from lms.models import AuditEntry, OutboxMessage, User

INVITE = "/admin/users/invite"


def _mails(address: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(select(OutboxMessage).filter_by(recipient=address).order_by(OutboxMessage.id))
    )


def _link(message: OutboxMessage) -> str:
    found = re.search(r"https?://[^/\s]+(/account/invitation/[^\s]+)", message.body)
    assert found, message.body
    return found.group(1)


def _user(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).filter_by(email=email))


def _count_users() -> int:
    return db.session.scalar(select(func.count(User.id)))


def _form(**values):
    return {
        "email": "focal@gov.example",
        "name": "Fatou Focal",
        "role": "learner",
        "country": "",
        "locale": "fr",
    } | values


@pytest.fixture
def mail_languages(monkeypatch):
    """The UI language in force each time an invitation body is written."""
    import lms.account.mails as mails

    seen: list[str] = []
    real = mails.ngettext

    def recording(*args, **kwargs):
        seen.append(str(get_locale()))
        return real(*args, **kwargs)

    monkeypatch.setattr(mails, "ngettext", recording)
    return seen


def test_the_users_page_links_to_the_invite_page(client, admin):
    assert f'href="{INVITE}"' in client.get("/admin/users").get_data(as_text=True)


def test_the_form_starts_in_the_admins_language_with_no_country(client, admin):
    admin.locale = "es"
    db.session.commit()
    client.post("/account/logout")
    client.post("/account/login", data={"email": admin.email, "password": "correct horse battery staple"})
    html = client.get(INVITE).get_data(as_text=True)
    assert re.search(r'<option selected value="es">', html), html
    country = html.split('name="country"', 1)[1].split("</select>", 1)[0]
    assert country.startswith('><option value="">') and "selected" not in country  # empty first
    for code in ("en", "fr", "es", "ar", "zh", "ru"):
        assert f'value="{code}"' in html


def test_inviting_creates_an_unconfirmed_account_audits_and_mails_in_its_language(
    client, admin, mail_languages
):
    resp = client.post(INVITE, data=_form(role="coordinator", country="SN", locale="fr"))
    user = _user("focal@gov.example")
    assert resp.status_code == 302 and resp.headers["Location"] == f"/admin/users/{user.uuid}"
    assert (user.name, user.role, user.country_code, user.locale) == (
        "Fatou Focal",
        "coordinator",
        "SN",
        "fr",
    )
    assert user.confirmed_dt is None and user.is_active_account
    assert not user.check_password("") and not user.check_password("correct horse battery staple")
    entry = db.session.scalar(select(AuditEntry).filter_by(action="user.invite", target_id=user.uuid))
    assert entry.actor_id == admin.id and entry.details["role"] == "coordinator"
    [mail] = _mails("focal@gov.example")
    assert mail_languages == ["fr"]  # written in the invitee's language, not the admin's (en)
    assert "Fatou Focal" in mail.body and "Ada Admin" in mail.body and "focal@gov.example" in mail.body
    assert "14" in mail.body and "/account/password/forgot" in mail.body
    assert _link(mail).startswith("/account/invitation/")
    page = client.get(f"/admin/users/{user.uuid}").get_data(as_text=True)
    assert "is invited" in page and "not yet accepted" in page and "Send the invitation again" in page
    assert "Invited by an administrator" in page  # the history names the action


def test_the_country_is_optional(client, admin):
    assert client.post(INVITE, data=_form(country="")).status_code == 302
    assert _user("focal@gov.example").country_code is None


def test_an_address_with_an_account_is_refused_with_a_link_to_it(client, admin, make_user):
    other = make_user(email="taken@example.org", name="Already Here")
    before = _count_users()
    resp = client.post(INVITE, data=_form(email="Taken@Example.org", name="Typed Name"))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "This address already has an account." in html
    assert f'href="/admin/users/{other.uuid}"' in html and "Already Here" in html
    assert 'value="Typed Name"' in html and 'value="Taken@Example.org"' in html  # nothing lost
    assert _count_users() == before and _mails("taken@example.org") == []
    assert db.session.scalar(select(AuditEntry).filter_by(action="user.invite")) is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"email": "not an address"}, "Enter a valid e-mail address."),
        ({"name": "  "}, "This field is required."),
        ({"role": "emperor"}, "Not a valid choice."),
        ({"country": "XX"}, "Choose a country from the list."),
        ({"locale": "de"}, "Choose one of the languages offered."),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_kept(client, admin, values, message):
    before = _count_users()
    resp = client.post(INVITE, data=_form(**values))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and message in html
    assert 'value="Fatou Focal"' in html or "name" in values
    assert _count_users() == before
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_sending_again_mails_a_new_link_and_the_old_one_stops_working(client, admin):
    client.post(INVITE, data=_form())
    user = _user("focal@gov.example")
    first = _link(_mails(user.email)[0])
    resp = client.post(f"/admin/users/{user.uuid}/invitation")
    assert resp.status_code == 302
    mails = _mails(user.email)
    assert len(mails) == 2
    second = _link(mails[1])
    assert second != first
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 200
    assert db.session.scalar(select(AuditEntry).filter_by(action="user.invite_resent", target_id=user.uuid))


def test_an_accepted_invitation_is_no_longer_shown_nor_sent_again(client, admin):
    client.post(INVITE, data=_form())
    user = _user("focal@gov.example")
    path = _link(_mails(user.email)[0])
    client.post("/account/logout")
    assert (
        client.post(
            path, data={"password": "a long new password", "confirm": "a long new password"}
        ).status_code
        == 302
    )
    client.post("/account/logout")
    client.post("/account/login", data={"email": admin.email, "password": "correct horse battery staple"})
    page = client.get(f"/admin/users/{user.uuid}").get_data(as_text=True)
    assert "not yet accepted" not in page and "Send the invitation again" not in page
    assert "Invitation accepted" in page
    assert client.post(f"/admin/users/{user.uuid}/invitation").status_code == 400
    assert len(_mails(user.email)) == 1


def test_a_person_who_registered_themselves_has_no_invitation(client, admin, make_user):
    learner = make_user(confirmed=False)
    page = client.get(f"/admin/users/{learner.uuid}").get_data(as_text=True)
    assert "Send the invitation again" not in page
    assert client.post(f"/admin/users/{learner.uuid}/invitation").status_code == 400
    assert _mails(learner.email) == []


def test_a_deactivated_invitation_is_not_sent_again(client, admin):
    client.post(INVITE, data=_form())
    user = _user("focal@gov.example")
    client.post(f"/admin/users/{user.uuid}/deactivate")
    assert "Send the invitation again" not in client.get(f"/admin/users/{user.uuid}").get_data(as_text=True)
    assert client.post(f"/admin/users/{user.uuid}/invitation").status_code == 400
    assert len(_mails(user.email)) == 1


# --- CSV ------------------------------------------------------------------------------------------


def _upload(client, text: str, **fields):
    from io import BytesIO

    return client.post(
        f"{INVITE}/csv",
        data={"file": (BytesIO(text.encode()), "people.csv"), **fields},
        content_type="multipart/form-data",
    )


def test_a_csv_list_invites_everyone_each_in_their_language(client, admin, mail_languages):
    resp = _upload(
        client,
        "email,name,country,role,language\n"
        "ana@example.org,Ana Ruiz,CL,trainer,es\n"
        "\n"
        "li@example.org,Li Wei,,,zh\n"
        "bob@example.org,Bob Smith,,,\n",
    )
    assert resp.status_code == 302
    ana, li, bob = _user("ana@example.org"), _user("li@example.org"), _user("bob@example.org")
    assert (ana.role, ana.country_code, ana.locale) == ("trainer", "CL", "es")
    assert (li.role, li.country_code, li.locale) == ("learner", None, "zh")
    assert bob.locale == "en"  # the admin's language when the row has none
    assert all(u.confirmed_dt is None for u in (ana, li, bob))
    assert mail_languages == ["es", "zh", "en"]
    assert all(len(_mails(u.email)) == 1 for u in (ana, li, bob))
    assert db.session.scalar(select(func.count(AuditEntry.id)).filter_by(action="user.invite")) == 3
    assert "3 people are invited." in client.get(resp.headers["Location"]).get_data(as_text=True)


def test_rows_without_a_language_take_the_one_chosen_with_the_file(client, admin, mail_languages):
    page = client.get(INVITE).get_data(as_text=True)
    assert 'id="csv_locale"' in page  # the CSV form's own language choice, next to its file field
    resp = _upload(
        client, "email,name,language\nbob@example.org,Bob Smith,\nli@example.org,Li Wei,zh\n", csv_locale="fr"
    )
    assert resp.status_code == 302
    assert (_user("bob@example.org").locale, _user("li@example.org").locale) == ("fr", "zh")
    assert mail_languages == ["fr", "zh"]


def test_a_csv_list_with_bad_rows_is_refused_whole_naming_each(client, admin, make_user):
    make_user(email="taken@example.org")
    before = _count_users()
    resp = _upload(
        client,
        "email,name,country,role,language\n"
        "ok@example.org,Fine Person,FR,learner,fr\n"  # line 2: fine
        "nope,No Address,,,\n"  # line 3
        "taken@example.org,Taken,,,\n"  # line 4
        "x@example.org,,ZZ,emperor,de\n"  # line 5: four problems
        "ok@example.org,Twice,,,\n",  # line 6
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "The file is refused: 4 rows have problems." in html
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td></tr>", html)
    lines = [int(n) for n, _reason in rows]
    assert lines == [3, 4, 5, 5, 5, 5, 6], rows
    reasons = " ".join(reason for _n, reason in rows)
    for part in (
        "nope is not a valid e-mail address",
        "taken@example.org already has an account",
        "the name is missing",
        "unknown country code ZZ",
        "unknown role \u2068emperor\u2069",
        "unknown language \u2068de\u2069",
        "ok@example.org appears twice in the file",
    ):
        assert part in reasons, part
    assert _count_users() == before
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    assert db.session.scalar(select(AuditEntry).filter_by(action="user.invite")) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the file is empty"),
        ("email,nickname\na@example.org,A\n", "unknown column \u2068nickname\u2069"),
        ("email\na@example.org\n", "missing column name"),
        ("email,name\n", "the file has no rows"),
    ],
)
def test_an_unreadable_csv_is_refused_with_the_reason(client, admin, text, reason):
    resp = _upload(client, text)
    assert resp.status_code == 400 and reason in resp.get_data(as_text=True)
    assert _count_users() == 1


def test_a_csv_post_without_a_file_is_refused(client, admin):
    assert client.post(f"{INVITE}/csv", data={}).status_code == 400
    assert _count_users() == 1


def test_a_csv_file_over_1_mb_is_refused(admin):
    from lms.account.creation import invite_from_csv
    from lms.account.csv_rows import ImportRefused

    rows = "".join(f"person{n}@example.org,Person {n}\n" for n in range(40000))
    with pytest.raises(ImportRefused) as refused:
        invite_from_csv(admin, ("email,name\n" + rows).encode(), default_locale="en")
    assert refused.value.errors == [("", "the file is larger than 1 MB")]
    assert _count_users() == 1
