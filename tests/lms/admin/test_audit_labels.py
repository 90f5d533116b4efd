"""The user page's history shows translated action labels and readable details, not stored codes; the
countries list sorts names without regard to accents."""

from __future__ import annotations

from lms.account.services import request_deletion
from lms.admin.audit_labels import action_details, action_label
from lms.db import db
from lms.models import audit


def test_history_shows_labels_and_readable_changes(client, admin, make_user):
    awa = make_user(email="awa@example.org", name="Awa")
    client.post(f"/admin/users/{awa.uuid}/role", data={"role": "trainer"})
    client.post(f"/admin/users/{awa.uuid}/deactivate")
    request_deletion(awa, "no longer needed")
    db.session.commit()
    html = client.get(f"/admin/users/{awa.uuid}").get_data(as_text=True)
    history = html[html.index("<table") : html.index("</table>")]
    assert "Role changed" in history and "From Learner to Trainer" in history
    assert "Account deactivated" in history and "Deletion requested by the user" in history
    for code in ("user.role", "user.deactivate", "user.deletion_requested", "new: trainer", "old: learner"):
        assert code not in history


def test_history_in_french_shows_no_codes(client, admin, make_user):
    awa = make_user(email="awa@example.org", name="Awa")
    client.post(f"/admin/users/{awa.uuid}/role", data={"role": "trainer"})
    client.get("/language/fr")
    html = client.get(f"/admin/users/{awa.uuid}").get_data(as_text=True)
    assert "user.role" not in html and "old: learner" not in html


def test_unknown_actions_keep_their_code_and_details(app):
    assert action_label("lrs.forward_retried") == "lrs.forward_retried"
    assert action_details("lrs.forward_retried", {"statement": "abc", "a": 1}) == "a: 1; statement: abc"
    assert action_details("user.deactivate", {}) == ""
    assert action_details("user.deletion_rejected", {"note": "duplicate"}) == "Reason: duplicate"


def test_history_without_details_shows_a_dash(client, admin, make_user):
    awa = make_user(email="awa@example.org")
    audit(admin, "user.reactivate", "user", awa.uuid)
    db.session.commit()
    html = client.get(f"/admin/users/{awa.uuid}").get_data(as_text=True)
    assert "Account reactivated" in html and "<td>—</td>" in html


def test_admin_countries_sorted_without_regard_to_accents(client, admin):
    client.get("/language/fr")
    html = client.get("/admin/countries").get_data(as_text=True)
    assert (
        html.index(">Égypte<")
        < html.index(">Érythrée<")
        < html.index(">Eswatini<")
        < html.index(">Éthiopie<")
    )
