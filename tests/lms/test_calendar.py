"""Calendar files: a published event and its cancellation name the same organiser, the platform
(iTIP requires one on both)."""

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


def test_a_published_event_names_the_same_organiser_as_its_cancellation(app):
    app.config["MAIL_FROM"] = "training@example.org"
    app.config["SITE_NAME"] = "Minamata LMS"
    with app.test_request_context():
        cal, published = _event(calendar_file("tests", [new_event("run-1", "Webinar", "https://x/1")]))
        _cal, cancelled = _event(
            calendar_file("tests", [new_event("run-1", "Webinar", "https://x/1")], "CANCEL")
        )
    assert str(cal["method"]) == "PUBLISH"
    assert str(published["organizer"]) == str(cancelled["organizer"]) == "mailto:training@example.org"
    # No display name in the sender address: the site's name stands in.
    assert published["organizer"].params["CN"] == "Minamata LMS"
