"""Calendar files: a cancellation names the platform as its organiser (iTIP requires one)."""

from __future__ import annotations

from icalendar import Calendar

from lms.calendar import calendar_file, new_event


def _event(data: bytes):
    cal = Calendar.from_ical(data)
    return cal, next(iter(cal.walk("VEVENT")))


def test_a_cancellation_carries_the_sender_as_organiser(app):
    app.config["MAIL_FROM"] = "Minamata Secretariat <training@example.org>"
    with app.test_request_context():
        cal, event = _event(calendar_file("tests", [new_event("run-1", "Webinar", "https://x/1")], "CANCEL"))
    assert str(cal["method"]) == "CANCEL"
    assert str(event["organizer"]) == "mailto:training@example.org"
    assert event["organizer"].params["CN"] == "Minamata Secretariat"
    assert str(event["uid"]).startswith("run-1@")


def test_a_published_event_has_no_organiser(app):
    with app.test_request_context():
        cal, event = _event(calendar_file("tests", [new_event("run-1", "Webinar", "https://x/1")]))
    assert str(cal["method"]) == "PUBLISH"
    assert "organizer" not in event
