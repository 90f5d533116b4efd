"""Who may waive a cmi5 AU for a learner: the course's team and admins only."""

from __future__ import annotations

import pytest

from tests.courses.cmi5_au import make_course, node, package_zip

ENDPOINTS_COVERED = {"courses.waive_au"}


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", "login"),
        ("learner", 403),
        ("coordinator", 403),
        ("other-trainer", 403),
        ("owner", 302),
        ("admin", 302),
    ],
)
def test_waive_au(client, make_user, login, trainer, learner, role, expected):
    from tests.courses.conftest import statements

    _course, item = make_course(trainer, package_zip())
    users = {
        "learner": learner,
        "coordinator": make_user(role="coordinator"),
        "other-trainer": make_user(role="trainer"),
        "owner": trainer,
        "admin": make_user(role="admin"),
    }
    if role != "anonymous":
        login(users[role])
    resp = client.post(
        f"/courses/manage/c5/packages/{item.uuid}/waive",
        data={"email": learner.email, "au": node("au-1").uuid, "reason": "Administrative"},
    )
    if expected == "login":
        assert resp.status_code in (302, 303) and "/account/login" in resp.headers["Location"]
    else:
        assert resp.status_code == expected
        if expected == 302:  # allowed, but the learner is not enrolled: refused with a message
            assert resp.headers["Location"].endswith(f"/courses/manage/c5/packages/{item.uuid}")
    assert not statements("waived")
