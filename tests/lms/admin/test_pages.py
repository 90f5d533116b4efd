"""Every administration page passes the page checks (see tests/lms/account/pagecheck.py)."""

from __future__ import annotations

from lms.account.services import request_deletion
from lms.db import db

from ..account.pagecheck import check_page


def test_admin_pages(client, admin, make_user):
    target = make_user(name="Target Person")
    request_deletion(target, "why not")
    db.session.commit()
    for i in range(30):
        make_user(name=f"User {i}")
    for path in (
        "/admin/",
        "/admin/users",
        "/admin/users?page=2",
        "/admin/users?role=bad",
        f"/admin/users/{target.uuid}",
        f"/admin/users/{admin.uuid}",
        "/admin/deletion-requests",
        f"/admin/deletion-requests/{target.uuid}",
        "/admin/countries",
    ):
        resp = client.get(path)
        assert resp.status_code in (200, 400), path
        check_page(resp.get_data(as_text=True))
    check_page(client.post(f"/admin/deletion-requests/{target.uuid}/reject", data={}).get_data(as_text=True))
    check_page(client.post(f"/admin/users/{target.uuid}/role", data={"role": "x"}).get_data(as_text=True))
