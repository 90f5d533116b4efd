"""Course, kit and workshop teams: the creator owns, owners add co-authors, only the team (and admins)
edit, publish or see the learners; the registry knows the owners; changes are audited."""

from __future__ import annotations

from sqlalchemy import select

from lms.db import db
from lms.models import AuditEntry
from lms.registry import resource_owners, resources_owned_by
from tests.courses.conftest import build_course
from tests.courses.kits.conftest import build_kit, build_workshop

TEAM_ROUTES = [
    ("GET", "/courses/manage/basics"),
    ("GET", "/courses/manage/basics/learners"),
    ("GET", "/courses/manage/basics/message"),
    ("GET", "/courses/manage/basics/translations"),
    ("GET", "/courses/manage/basics/audit"),
    ("GET", "/courses/manage/basics/export"),
    ("GET", "/courses/manage/basics/team"),
    ("POST", "/courses/manage/basics/unpublish"),
]


def _status(client, method, url):
    resp = client.get(url) if method == "GET" else client.post(url, data={})
    resp.close()
    return resp.status_code


def test_the_creator_owns_the_course_and_the_registry_knows(app, trainer):
    from courses.services.teams import members

    course = build_course(trainer)
    team = members(course)
    assert [(m.user_id, m.role) for m in team] == [(trainer.id, "owner")]
    assert resource_owners("course", course.uuid) == [trainer.id]
    assert [r.key for r in resources_owned_by(trainer.id, kinds=["course"])] == [course.uuid]


def test_another_trainer_is_refused_until_added_to_the_team(client, login, make_user, trainer):
    build_course(trainer)
    other = make_user(role="trainer", email="other@example.org")
    login(other)
    for method, url in TEAM_ROUTES:
        assert _status(client, method, url) == 403, url
    # The catalogue and the course page stay open to them like to anyone; their manage list is empty.
    assert client.get("/courses/basics").status_code == 200
    assert "/courses/manage/basics" not in client.get("/courses/manage/").get_data(as_text=True)

    client.post("/account/logout")
    login(trainer)
    resp = client.post("/courses/manage/basics/team", data={"email": "OTHER@example.org", "role": "author"})
    assert resp.status_code == 302
    from courses.models import Course

    course = db.session.scalar(select(Course).filter_by(slug="basics"))
    assert resource_owners("course", course.uuid) == sorted([trainer.id, other.id])
    added = db.session.scalars(
        select(AuditEntry)
        .filter_by(action="courses.team_member_added", actor_id=trainer.id)
        .order_by(AuditEntry.id)
    ).all()
    # The creation made the trainer owner; the Team page added the co-author.
    assert [e.details for e in added] == [
        {"user": trainer.id, "role": "owner"},
        {"user": other.id, "role": "author"},
    ]

    client.post("/account/logout")
    login(other)
    for method, url in TEAM_ROUTES:
        assert _status(client, method, url) in (200, 302), url
    assert "/courses/manage/basics" in client.get("/courses/manage/").get_data(as_text=True)
    # A co-author does not change the team.
    assert _status(client, "POST", "/courses/manage/basics/team") == 403
    assert _status(client, "POST", f"/courses/manage/basics/team/{trainer.id}/remove") == 403


def test_admins_do_everything(client, login, make_user, trainer):
    build_course(trainer)
    admin = make_user(role="admin")
    login(admin)
    for method, url in TEAM_ROUTES:
        assert _status(client, method, url) in (200, 302), url
    assert client.post("/courses/manage/basics/publish", data={}).status_code == 302
    from courses.models import Course

    assert db.session.scalar(select(Course.status).filter_by(slug="basics")) == "published"


def test_the_team_page_refuses_bad_input_and_keeps_the_last_owner(client, login, make_user, trainer):
    from courses.models import Course
    from courses.services.teams import members

    build_course(trainer)
    learner = make_user(role="learner", email="learner@example.org", name="Lena Learnerova")
    login(trainer)
    for email in ("nobody@example.org", "learner@example.org"):
        resp = client.post("/courses/manage/basics/team", data={"email": email, "role": "author"})
        page = resp.get_data(as_text=True)
        # The same answer whether or not a learner has the address, and never their name.
        assert resp.status_code == 400 and f"No trainer has the address {email}" in page
        assert "Lena Learnerova" not in page
    resp = client.post("/courses/manage/basics/team", data={"email": trainer.email, "role": "author"})
    assert resp.status_code == 400 and "already in the team" in resp.get_data(as_text=True)
    course = db.session.scalar(select(Course).filter_by(slug="basics"))
    assert [m.user_id for m in members(course)] == [trainer.id]

    resp = client.post(f"/courses/manage/basics/team/{trainer.id}/remove", data={}, follow_redirects=True)
    assert "last owner" in resp.get_data(as_text=True)
    assert [m.user_id for m in members(course)] == [trainer.id]
    assert learner.id not in resource_owners("course", course.uuid)


def test_removing_a_member_updates_registry_and_audit(client, login, make_user, trainer):
    from courses.models import Course

    build_course(trainer)
    other = make_user(role="trainer")
    login(trainer)
    client.post("/courses/manage/basics/team", data={"email": other.email, "role": "owner"})
    course = db.session.scalar(select(Course).filter_by(slug="basics"))
    assert resource_owners("course", course.uuid) == sorted([trainer.id, other.id])
    assert client.post(f"/courses/manage/basics/team/{other.id}/remove", data={}).status_code == 302
    assert resource_owners("course", course.uuid) == [trainer.id]
    assert db.session.scalar(select(AuditEntry).filter_by(action="courses.team_member_removed")).details == {
        "user": other.id,
        "role": "owner",
    }
    client.post("/account/logout")
    login(other)
    assert client.get("/courses/manage/basics").status_code == 403


def test_xapi_package_pages_of_a_course_belong_to_its_team(client, login, make_user, trainer):
    course = build_course(trainer)
    other = make_user(role="trainer")
    login(other)
    url = f"/courses/manage/basics/units/{course.units[0].uuid}/packages/new"
    assert client.get(url).status_code == 403
    client.post("/account/logout")
    login(trainer)
    assert client.get(url).status_code == 200


def test_importing_into_another_teams_course_is_refused(app, make_user, trainer):
    import pytest

    from courses.services import package_export, package_io
    from courses.services.errors import PackageError

    course = build_course(trainer)
    files = package_export.export_files(course)
    other = make_user(role="trainer")
    with pytest.raises(PackageError) as caught:
        package_io.import_files(other, files)
    assert any("team you are not in" in reason for _f, _l, reason in caught.value.errors)
    again, created = package_io.import_files(trainer, files)
    assert again.id == course.id and not created


def test_cli_import_gives_ownership_to_owner(app, tmp_path, make_user, trainer):
    from courses.models import Course
    from courses.services import package_export
    from courses.services.teams import members

    course = build_course(trainer, slug="cli-course")
    files = package_export.export_files(course)
    db.session.delete(course)
    db.session.commit()
    folder = tmp_path / "pkg"
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["courses", "import", str(folder), "--owner", "nobody@example.org"])
    assert result.exit_code != 0 and "not the address of a trainer" in result.output
    assert db.session.scalar(select(Course).filter_by(slug="cli-course")) is None

    result = runner.invoke(args=["courses", "import", str(folder)])
    assert result.exit_code == 0, result.output
    imported = db.session.scalar(select(Course).filter_by(slug="cli-course"))
    assert members(imported) == []  # nobody: admins only

    owner = make_user(role="trainer", email="owner@example.org")
    result = runner.invoke(
        args=["courses", "import", str(folder), "--owner", "owner@example.org", "--publish"]
    )
    assert result.exit_code == 0, result.output
    assert [(m.user_id, m.role) for m in members(imported)] == [(owner.id, "owner")]
    assert resource_owners("course", imported.uuid) == [owner.id]


def test_kit_and_workshop_teams(client, login, make_user, trainer):
    kit = build_kit(trainer)
    workshop = build_workshop(trainer, kit)
    db.session.commit()
    assert resource_owners("kit", kit.uuid) == [trainer.id]
    assert resource_owners("workshop", workshop.uuid) == [trainer.id]
    other = make_user(role="trainer")
    login(other)
    kit_urls = ["/courses/kits/manage/trade", "/courses/kits/manage/trade/team"]
    ws_urls = [f"/courses/workshops/{workshop.uuid}/manage", f"/courses/workshops/{workshop.uuid}/results"]
    for url in kit_urls + ws_urls:
        assert client.get(url).status_code == 403, url
    assert client.post("/courses/kits/manage/trade/publish", data={}).status_code == 403
    # Another trainer may still adapt the published kit for their region.
    assert client.get("/courses/kits/manage/trade/copy").status_code == 200
    client.post("/account/logout")
    login(trainer)
    assert client.post("/courses/kits/manage/trade/team", data={"email": other.email}).status_code == 302
    assert (
        client.post(f"/courses/workshops/{workshop.uuid}/team", data={"email": other.email}).status_code
        == 302
    )
    assert resource_owners("kit", kit.uuid) == sorted([trainer.id, other.id])
    client.post("/account/logout")
    login(other)
    for url in kit_urls + ws_urls:
        assert client.get(url).status_code == 200, url


def test_the_demo_trainer_owns_the_demo_content(app, make_user):
    from courses.demo.kits_seed import seed_kits
    from courses.demo.seed import seed

    demo = make_user(role="trainer", email="trainer@example.org")
    seed(app)
    seed_kits(app)
    db.session.commit()
    owned = {r.kind for r in resources_owned_by(demo.id)}
    assert owned == {"course", "kit", "workshop"}
    assert len(resources_owned_by(demo.id, kinds=["course"])) == 4


def test_importing_into_another_teams_kit_is_refused(app, make_user, trainer):
    import pytest

    from courses.services import kits_package
    from courses.services.errors import PackageError
    from courses.services.teams import members

    kit = build_kit(trainer)
    files = kits_package.export_files(kit)
    other = make_user(role="trainer")
    with pytest.raises(PackageError) as caught:
        kits_package.import_files(other, files)
    assert any("team you are not in" in reason for _f, _l, reason in caught.value.errors)
    db.session.rollback()
    again, created = kits_package.import_files(trainer, files)
    assert again.id == kit.id and not created
    assert [(m.user_id, m.role) for m in members(kit)] == [(trainer.id, "owner")]


def test_an_owner_may_leave_once_another_owner_exists(client, login, make_user, trainer):
    from courses.models import Course
    from courses.services.teams import members

    build_course(trainer)
    other = make_user(role="trainer")
    login(trainer)
    client.post("/courses/manage/basics/team", data={"email": other.email, "role": "owner"})
    resp = client.post(f"/courses/manage/basics/team/{trainer.id}/remove", data={})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/courses/manage/")
    course = db.session.scalar(select(Course).filter_by(slug="basics"))
    assert [(m.user_id, m.role) for m in members(course)] == [(other.id, "owner")]
    assert client.get("/courses/manage/basics").status_code == 403


def test_a_trainer_added_to_a_team_is_told_in_their_language(client, login, make_user, trainer):
    from lms.models import OutboxMessage

    build_course(trainer)
    kit = build_kit(trainer)
    workshop = build_workshop(trainer, kit)
    db.session.commit()
    other = make_user(role="trainer", locale="fr", email="hugo@example.org")
    login(trainer)
    page = client.get("/courses/manage/basics/team").get_data(as_text=True)
    # The page is named by the module's title, not its short name.
    assert '<h1>Team <span class="muted">The Convention in brief</span></h1>' in page
    for url in ("/courses/manage/basics/team", "/courses/kits/manage/trade/team"):
        assert client.post(url, data={"email": other.email, "role": "author"}).status_code == 302
    assert (
        client.post(f"/courses/workshops/{workshop.uuid}/team", data={"email": other.email}).status_code
        == 302
    )
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == other.email)).all()
    assert [m.subject for m in mails] == [
        "Vous faites partie de l’équipe de «\u00a0The Convention in brief\u00a0»",
        f"Vous faites partie de l’équipe de «\u00a0{kit_title(kit)}\u00a0»",
        f"Vous faites partie de l’équipe de «\u00a0{workshop.title}\u00a0»",
    ]
    assert "/courses/manage/basics" in mails[0].body and trainer.name in mails[0].body
    assert "/courses/kits/manage/trade" in mails[1].body
    assert f"/courses/workshops/{workshop.uuid}/manage" in mails[2].body


def kit_title(kit):
    from courses.services.teams import title_of

    return title_of(kit)


def test_the_team_page_offers_no_removal_of_the_last_owner_and_marks_deactivated_accounts(
    client, login, make_user, trainer
):
    build_course(trainer)
    gone = make_user(role="trainer", name="Gaston Gone")
    login(trainer)
    client.post("/courses/manage/basics/team", data={"email": gone.email, "role": "author"})
    gone.is_active_account = False
    db.session.commit()
    page = client.get("/courses/manage/basics/team").get_data(as_text=True)
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    owner_row = next(r for r in rows if trainer.name in r)
    gone_row = next(r for r in rows if "Gaston Gone" in r)
    assert "/remove" not in owner_row and "The last owner stays (add another owner first)" in owner_row
    assert "/remove" in gone_row and "Account deactivated" in gone_row
    assert "Account deactivated" not in owner_row
