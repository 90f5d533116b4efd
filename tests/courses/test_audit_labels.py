"""The courses plugin's audit labels: the details of a module action as a trainer reads them."""

from __future__ import annotations

from flask import render_template_string


def test_typed_details_are_escaped_once_on_the_audit_pages(app):
    # A waiver's reason and a media file's name are typed by people: an apostrophe or an ampersand must
    # read as typed, not as "&#39;" or "&amp;" (escaped by the details and again by the page).
    with app.test_request_context():
        html = render_template_string(
            "<td>{{ audit_action_details(action, details) }}</td>",
            action="courses.au_waived",
            details={"reason": "Léa's request <by mail> & phone"},
        )
    assert html == "<td>Léa&#39;s request &lt;by mail&gt; &amp; phone</td>"
