"""With CSRF protection on (as in production), the workshop and kit forms refuse a POST without the
token and change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.db import db
from tests.courses.kits.conftest import build_kit, build_workshop, statements


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_posts_without_token_are_refused(client, trainer, learner, login_without_form):
    from courses.models_kits import AttendanceCertificate, KitPart, Workshop
    from courses.services import workshops_registration as registration

    kit = build_kit(trainer)
    workshop = build_workshop(trainer, kit)
    participant = registration.register_participant(workshop, learner)
    db.session.commit()
    login_without_form(trainer)
    base = f"/courses/workshops/{workshop.uuid}"
    for path, data in (
        (f"{base}/certificates", {}),
        (f"{base}/settings", {"flag": "is_cancelled", "value": "1"}),
        (f"{base}/participants/{participant.uuid}/check-in", {}),
        ("/courses/kits/manage/trade/parts/new/discussion", {"prompt": "Why?"}),
        ("/courses/kits/manage/trade/publish", {}),
    ):
        assert client.post(path, data=data).status_code == 400, path
    login_without_form(learner)
    assert client.post(f"{base}/unregister").status_code == 400
    db.session.expire_all()
    assert not db.session.scalar(select(Workshop)).is_cancelled
    assert db.session.scalar(select(func.count(AttendanceCertificate.id))) == 0
    assert len(kit.parts_of("discussion")) == 1 and db.session.scalar(select(func.count(KitPart.id))) == 12
    assert statements("attended") == []
