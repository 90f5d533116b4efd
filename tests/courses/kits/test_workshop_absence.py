"""An attendance sheet's "no": absence is not stored, so the message says what was done (the person is not
checked in, or keeps a check-in already recorded) and never that they were "marked absent"."""

from __future__ import annotations

import csv
import io

from lms.db import db
from tests.courses.kits.conftest import register_people


def _upload(client, workshop, data: bytes):
    return client.post(
        f"/courses/workshops/{workshop.uuid}/attendance",
        data={"file": (io.BytesIO(data), "sheet.csv")},
        follow_redirects=True,
    )


def test_a_no_on_the_sheet_is_not_claimed_as_recorded(
    app, client, login, trainer, started_workshop, make_user
):
    people = register_people(started_workshop, make_user, 2)
    db.session.commit()
    login(trainer)
    page = _upload(client, started_workshop, b"email,attended\np0@example.org,no\np1@example.org,yes\n")
    text = page.get_data(as_text=True)
    assert (
        "marked absent." not in text and "participant marked absent on the sheet is not checked in." in text
    )
    # What the roster shows for them is what the message said: not checked in.
    assert people[0].attended_dt is None
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/courses/workshops/{started_workshop.uuid}/roster.csv")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert [(r["email"], r["attended"]) for r in rows][0] == ("p0@example.org", "")


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
    assert "1 participant marked absent on the sheet is not checked in." in text
    assert "1 marked absent on the sheet was already checked in: the check-in is kept." in text
    db.session.refresh(people[0])
    assert people[0].attended_dt is not None and people[0].check_in_method == "qr"


def test_the_sheet_page_says_absence_is_not_recorded(client, login, trainer, started_workshop):
    login(trainer)
    page = client.get(f"/courses/workshops/{started_workshop.uuid}/attendance").get_data(as_text=True)
    assert "Absence is not recorded" in page
