"""A country has at most one active country coordinator. A role change, a move to another country, a
reactivation or an invitation that would give it a second is refused whole, the administrator told
which country and which coordinator; the database refuses a second one too (two administrators at the
same moment), and the migration that adds that rule names the countries that break it."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.admin import coordinators, services
from lms.admin.coordinators import CoordinatorTaken
from lms.db import db
from lms.models import AuditEntry, OutboxMessage, User
from tests.lms.test_migrations import empty_database_url  # noqa: F401 - a fixture of these tests

INDEX_NAME = "uq_user_active_coordinator_country"

INVITE = "/admin/users/invite"


def _fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def _text(resp) -> str:
    """The page's text, entities decoded and the directional isolates around names left out."""
    return html_lib.unescape(resp.get_data(as_text=True)).replace("\u2068", "").replace("\u2069", "")


def _audit_count() -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)))


REFUSAL = "France already has an active country coordinator, Chloé Coordinator (chloe@example.org)."


@pytest.fixture
def chloe(make_user):
    """France's coordinator."""
    return make_user(
        role="coordinator", country_code="FR", name="Chloé Coordinator", email="chloe@example.org"
    )


@pytest.fixture
def camille(make_user):
    """A French learner, who says she is her country's focal point."""
    return make_user(role="learner", country_code="FR", name="Camille Focal", is_focal_point=True)


def _flashed_error(resp) -> str:
    found = re.search(r'<p class="flash flash-error">(.*?)</p>', resp.get_data(as_text=True), re.S)
    assert found, resp.get_data(as_text=True)[:3000]
    return html_lib.unescape(found.group(1)).replace("\u2068", "").replace("\u2069", "")


# --- the administration's user page ---------------------------------------------------------------


def test_a_second_coordinator_is_refused_on_the_role_form_naming_the_first(client, admin, chloe, camille):
    before = _audit_count()
    resp = client.post(f"/admin/users/{camille.uuid}/role", data={"role": "coordinator"})
    assert resp.status_code == 400
    message = _flashed_error(resp)
    assert REFUSAL in message and "change that person's role or deactivate their account first" in message
    assert f'action="/admin/users/{camille.uuid}/role"' in resp.get_data(as_text=True)  # her page again
    assert _fresh(camille).role == "learner" and _fresh(chloe).role == "coordinator"
    assert _audit_count() == before


def test_other_roles_and_other_countries_are_still_changed(client, admin, chloe, camille, make_user):
    assert client.post(f"/admin/users/{camille.uuid}/role", data={"role": "trainer"}).status_code == 302
    assert _fresh(camille).role == "trainer"
    awa = make_user(country_code="SN")
    assert client.post(f"/admin/users/{awa.uuid}/role", data={"role": "coordinator"}).status_code == 302
    assert _fresh(awa).role == "coordinator"
    # Saving France's coordinator's own role again changes nothing and is not refused.
    assert client.post(f"/admin/users/{chloe.uuid}/role", data={"role": "coordinator"}).status_code == 302


def test_a_coordinator_is_not_moved_to_a_country_that_has_one(client, admin, chloe, make_user):
    awa = make_user(role="coordinator", country_code="SN", name="Awa Sow")
    resp = client.post(f"/admin/users/{awa.uuid}/country", data={"country": "FR"})
    assert resp.status_code == 400 and REFUSAL in _flashed_error(resp)
    assert _fresh(awa).country_code == "SN"
    assert db.session.scalar(select(AuditEntry).filter_by(action="user.country")) is None
    # A learner moves there; a coordinator moves to a country without one.
    learner = make_user(country_code="SN")
    assert client.post(f"/admin/users/{learner.uuid}/country", data={"country": "FR"}).status_code == 302
    assert client.post(f"/admin/users/{awa.uuid}/country", data={"country": "KE"}).status_code == 302
    assert _fresh(awa).country_code == "KE"


def test_deactivate_appoint_another_then_reactivate_the_first_is_refused(client, admin, chloe, camille):
    """Deactivating a coordinator frees the country: another may be made coordinator; reactivating the
    first would give the country two, so it is refused, naming the one it has now."""
    assert client.post(f"/admin/users/{chloe.uuid}/deactivate").status_code == 302
    assert client.post(f"/admin/users/{camille.uuid}/role", data={"role": "coordinator"}).status_code == 302
    before = _audit_count()
    resp = client.post(f"/admin/users/{chloe.uuid}/reactivate")
    assert resp.status_code == 400
    assert "France already has an active country coordinator, Camille Focal" in _flashed_error(resp)
    assert _fresh(chloe).is_active_account is False and _fresh(camille).role == "coordinator"
    assert _audit_count() == before
    # Once Camille is no longer coordinator, Chloé can come back.
    assert client.post(f"/admin/users/{camille.uuid}/role", data={"role": "learner"}).status_code == 302
    assert client.post(f"/admin/users/{chloe.uuid}/reactivate").status_code == 302
    assert _fresh(chloe).is_active_account is True


def test_reactivating_someone_who_is_not_a_coordinator_is_not_concerned(client, admin, chloe, make_user):
    off = make_user(country_code="FR", is_active_account=False)
    assert client.post(f"/admin/users/{off.uuid}/reactivate").status_code == 302


# --- invitations ----------------------------------------------------------------------------------


def _form(**values):
    return {
        "email": "second@gov.example",
        "name": "Second Coordinator",
        "role": "coordinator",
        "country": "FR",
        "locale": "fr",
    } | values


def test_inviting_a_second_coordinator_is_refused_keeping_the_form(client, admin, chloe):
    users = db.session.scalar(select(func.count(User.id)))
    resp = client.post(INVITE, data=_form())
    assert resp.status_code == 400 and REFUSAL in _flashed_error(resp)
    assert 'value="second@gov.example"' in resp.get_data(as_text=True)  # what was typed stays
    assert db.session.scalar(select(func.count(User.id))) == users
    assert db.session.scalar(select(OutboxMessage).filter_by(recipient="second@gov.example")) is None
    # As a learner of France, or as the coordinator of a country without one, the invitation goes.
    assert client.post(INVITE, data=_form(role="learner")).status_code == 302
    assert client.post(INVITE, data=_form(email="ke@gov.example", country="KE")).status_code == 302


def _upload(client, text: str):
    from io import BytesIO

    return client.post(
        f"{INVITE}/csv",
        data={"file": (BytesIO(text.encode()), "people.csv")},
        content_type="multipart/form-data",
    )


def test_a_csv_list_giving_a_country_a_second_coordinator_is_refused_whole(client, admin, chloe):
    users = db.session.scalar(select(func.count(User.id)))
    resp = _upload(
        client,
        "email,name,country,role\n"
        "ok@example.org,Fine Person,FR,learner\n"  # line 2: fine
        "fr@example.org,French Second,fr,Coordinator\n"  # line 3: France has Chloé
        "ke1@example.org,Kenyan One,KE,coordinator\n"  # line 4: fine alone
        "ke2@example.org,Kenyan Two,KE,coordinator\n"  # line 5: a second one for Kenya
        "nope,No Address,,\n",  # line 6: the other problems of the file are named with them
    )
    assert resp.status_code == 400
    page = _text(resp)
    assert "The file is refused: 3 rows have problems." in page
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td></tr>", page)
    assert [int(n) for n, _reason in rows] == [3, 5, 6], rows
    assert (
        "France already has an active country coordinator, Chloé Coordinator (chloe@example.org)"
        in rows[0][1]
    )
    assert "line 2 already invites the coordinator of Kenya" not in page
    assert "nope is not a valid e-mail address" in rows[2][1]
    assert "line 4 already invites the coordinator of Kenya; a country has only one" in rows[1][1]
    assert db.session.scalar(select(func.count(User.id))) == users
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_a_csv_list_with_only_a_second_coordinator_is_refused_naming_the_row(client, admin, chloe):
    resp = _upload(
        client,
        "email,name,country,role\nok@example.org,Fine,SN,learner\nfr@example.org,Second,FR,coordinator\n",
    )
    assert resp.status_code == 400
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td></tr>", _text(resp))
    assert rows == [
        ("3", "France already has an active country coordinator, Chloé Coordinator (chloe@example.org)")
    ]
    assert "The file is refused: 1 row has problems." in _text(resp)
    assert db.session.scalar(select(User).filter_by(email="ok@example.org")) is None


# --- the database's rule and concurrent changes ---------------------------------------------------


def test_the_database_holds_one_active_coordinator_per_country(app, chloe, make_user):
    with pytest.raises(IntegrityError):
        make_user(role="coordinator", country_code="FR")
    db.session.rollback()
    # A deactivated coordinator, coordinators without a country, another country: all allowed.
    make_user(role="coordinator", country_code="FR", is_active_account=False)
    make_user(role="coordinator", country_code=None)
    make_user(role="coordinator", country_code=None)
    make_user(role="coordinator", country_code="SN")


@pytest.fixture
def checks_passed(monkeypatch):
    """As when another administrator's change is committed between this one's check and its write."""
    monkeypatch.setattr(coordinators, "check", lambda *args, **kwargs: None)


def test_a_concurrent_role_change_is_refused_the_same_way(app, admin, chloe, camille, checks_passed):
    before = _audit_count()
    with pytest.raises(CoordinatorTaken) as refused:
        services.change_role(admin, camille, "coordinator")
    assert "France already has an active country coordinator" in str(refused.value)
    assert refused.value.coordinator.id == chloe.id
    db.session.rollback()
    assert _fresh(camille).role == "learner" and _audit_count() == before


def test_a_concurrent_reactivation_or_move_is_refused_the_same_way(
    app, admin, chloe, make_user, checks_passed
):
    off = make_user(role="coordinator", country_code="FR", is_active_account=False)
    with pytest.raises(CoordinatorTaken):
        services.set_active(admin, off, True)
    db.session.rollback()
    assert _fresh(off).is_active_account is False
    awa = make_user(role="coordinator", country_code="SN")
    with pytest.raises(CoordinatorTaken):
        services.change_country(admin, awa, "FR")
    db.session.rollback()
    assert _fresh(awa).country_code == "SN"


def test_a_concurrent_invitation_is_refused_the_same_way(client, admin, chloe, checks_passed):
    resp = client.post(INVITE, data=_form())
    assert resp.status_code == 400 and REFUSAL in _flashed_error(resp)
    assert db.session.scalar(select(User).filter_by(email="second@gov.example")) is None


# --- the migration that adds the rule -------------------------------------------------------------


def test_the_migration_names_the_countries_with_two_coordinators_and_changes_nothing(
    empty_database_url,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    from sqlalchemy import MetaData, Table, inspect

    from lms import create_app
    from lms.db import new_uuid, utcnow
    from lms.migrate import upgrade

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path)}
    )
    with app.app_context():
        upgrade("a9e2c4f17b35")  # the revision before the rule
        with db.engine.begin() as conn:
            tables = MetaData()
            country = Table("country", tables, autoload_with=conn)
            user = Table("user", tables, autoload_with=conn)
            conn.execute(
                country.insert(),
                [
                    {"code": "FR", "alpha3": "FRA", "region": "weog", "is_party": True},
                    {"code": "SN", "alpha3": "SEN", "region": "africa", "is_party": True},
                ],
            )

            def person(email, code, role="coordinator", active=True):
                return {
                    "uuid": new_uuid(),
                    "email": email,
                    "name": email,
                    "password_hash": "!",
                    "country_code": code,
                    "organisation": "",
                    "locale": "en",
                    "role": role,
                    "is_focal_point": False,
                    "is_reminders_off": False,
                    "is_active_account": active,
                    "created_dt": utcnow(),
                }

            conn.execute(
                user.insert(),
                [
                    person("one@fr.example", "FR"),
                    person("two@fr.example", "FR"),
                    person("old@fr.example", "FR", active=False),
                    person("only@sn.example", "SN"),
                ],
            )
        with pytest.raises(RuntimeError) as stopped:
            upgrade()
        message = str(stopped.value)
        assert "FR: one@fr.example (id 1), two@fr.example (id 2)" in message
        assert "old@fr.example" not in message and "SN" not in message
        assert "then upgrade again" in message

        def index_names():
            with db.engine.connect() as conn:
                return {ix["name"] for ix in inspect(conn).get_indexes("user")}

        assert INDEX_NAME not in index_names()
        # The administrator keeps one of them; the upgrade then goes through.
        with db.engine.begin() as conn:
            conn.execute(user.update().where(user.c.email == "two@fr.example").values(role="learner"))
        upgrade()
        assert INDEX_NAME in index_names()
        db.engine.dispose()


def test_a_concurrent_csv_list_is_refused_the_same_way(client, admin, chloe, monkeypatch):
    real = services._coordinator_rows
    reads = []

    def read_before_the_other_commit(data):
        reads.append(data)
        return [] if len(reads) == 1 else real(data)

    monkeypatch.setattr(services, "_coordinator_rows", read_before_the_other_commit)
    resp = _upload(client, "email,name,country,role\nfr@example.org,Second,FR,coordinator\n")
    assert resp.status_code == 400 and len(reads) == 2
    assert "France already has an active country coordinator, Chloé Coordinator" in _text(resp)
    assert db.session.scalar(select(User).filter_by(email="fr@example.org")) is None
