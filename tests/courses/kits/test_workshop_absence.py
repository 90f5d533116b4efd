"""An attendance sheet's "no": the participant is recorded absent (on the roster, in its CSV and the audit
trail) unless already checked in, whose check-in is kept; a later check-in replaces the absence."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from lms.db import db
from lms.models import AuditEntry
from tests.courses.kits.conftest import register_people


def _upload(client, workshop, data: bytes):
    return client.post(
        f"/courses/workshops/{workshop.uuid}/attendance",
        data={"file": (io.BytesIO(data), "sheet.csv")},
        follow_redirects=True,
    )


def _roster(client, workshop) -> dict[str, str]:
    """E-mail -> "attended" (checked in) or "absent" (recorded absent), from the roster CSV, whose two
    columns each hold a date and time or nothing."""
    text = client.get(f"/courses/workshops/{workshop.uuid}/roster.csv").get_data(as_text=True)
    out = {}
    for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        assert not (r["attended"] and r["recorded absent"])
        out[r["email"]] = "attended" if r["attended"] else "absent" if r["recorded absent"] else ""
        assert (r["attended"] or r["recorded absent"] or "20").startswith("20")
    return out


def _roster_row(client, workshop, name: str) -> str:
    page = client.get(f"/courses/workshops/{workshop.uuid}/manage").get_data(as_text=True)
    return next(row for row in page.split("<tr>") if name in row)


def test_a_no_on_the_sheet_is_recorded_and_shown_as_absent(
    app, client, login, trainer, started_workshop, make_user
):
    people = register_people(started_workshop, make_user, 2)
    db.session.commit()
    login(trainer)
    text = _upload(
        client, started_workshop, b"email,attended\np0@example.org,no\np1@example.org,yes\n"
    ).get_data(as_text=True)
    assert "1 participant recorded absent." in text and "1 participant checked in." in text
    db.session.refresh(people[0])
    assert people[0].attended_dt is None and people[0].absent_dt is not None
    roster = _roster(client, started_workshop)
    assert roster == {"p0@example.org": "absent", "p1@example.org": "attended"}
    row = _roster_row(client, started_workshop, people[0].user.display_name)
    assert '<span class="badge">Absent</span>' in row and "Check in" in row  # still possible by hand
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "courses.workshop_absent"))
    assert entry.details["participants"] == [people[0].uuid]
    # What the platform holds about them is in their data download too.
    from lms.account.services import export_user_data

    (mine,) = export_user_data(people[0].user)["workshops"]
    assert mine["attended"] is None and mine["recorded_absent"] == people[0].absent_dt.isoformat()


def test_a_no_for_someone_already_checked_in_keeps_the_check_in_and_says_so(
    app, client, login, trainer, started_workshop, make_user
):
    from courses.services import workshops_attendance as attendance

    people = register_people(started_workshop, make_user, 2)
    attendance.mark_attended(trainer, people[0], "qr")
    db.session.commit()
    login(trainer)
    text = _upload(
        client, started_workshop, b"email,attended\np0@example.org,no\np1@example.org,no\n"
    ).get_data(as_text=True)
    assert "1 participant recorded absent." in text
    assert "1 marked absent on the sheet was already checked in: the check-in is kept." in text
    db.session.refresh(people[0])
    assert people[0].attended_dt is not None and people[0].check_in_method == "qr"
    assert people[0].absent_dt is None


def test_a_later_check_in_replaces_the_absence(app, client, login, trainer, started_workshop, make_user):
    people = register_people(started_workshop, make_user, 1)
    db.session.commit()
    login(trainer)
    _upload(client, started_workshop, b"email,attended\np0@example.org,no\n")
    resp = client.post(f"/courses/workshops/{started_workshop.uuid}/participants/{people[0].uuid}/check-in")
    assert resp.status_code in (302, 303)
    db.session.refresh(people[0])
    assert people[0].attended_dt is not None and people[0].absent_dt is None
    assert _roster(client, started_workshop)["p0@example.org"] == "attended"
    assert "Absent" not in _roster_row(client, started_workshop, people[0].user.display_name)


def test_the_sheet_page_says_what_a_no_does(client, login, trainer, started_workshop):
    login(trainer)
    page = client.get(f"/courses/workshops/{started_workshop.uuid}/attendance").get_data(as_text=True)
    assert "A participant marked no is recorded as absent, unless already checked in" in page
