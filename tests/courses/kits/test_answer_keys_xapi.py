"""A workshop test's statements give no answer away: the participant reads them in their data export
(/account/export) after the pre-test, and takes the same questions in the post-test."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from lms.db import db
from tests.courses.kits.conftest import build_kit, build_workshop, sheet_form, statements


def test_the_pre_test_statements_and_the_data_export_carry_no_answer(app, client, trainer, learner, login):
    from courses.models_kits import Participant
    from courses.services import workshops as ws
    from courses.services import workshops_tests as tests

    kit = build_kit(trainer)
    workshop = build_workshop(trainer, kit, start=date.today())
    url = f"/courses/workshops/{workshop.uuid}"
    login(learner)
    assert client.post(f"{url}/register").status_code == 302
    participant = db.session.scalar(select(Participant).filter_by(user_id=learner.id))
    ws.set_flags(trainer, workshop, is_pre_test_open=True)
    db.session.commit()
    client.post(f"{url}/tests/pre")
    result = tests.result_of(participant, "pre")
    form = sheet_form(tests.kit_view(workshop, "en"), result, right=False)
    assert client.post(f"{url}/tests/pre/sheet", data=form).status_code == 302

    answered = statements("answered")
    assert len(answered) == 3
    definitions = {s.data["object"]["definition"]["interactionType"]: s.data for s in answered}
    assert set(definitions) == {"choice", "true-false", "fill-in"}
    for data in definitions.values():
        assert "correctResponsesPattern" not in data["object"]["definition"]
        assert data["result"]["success"] is False  # the participant's own result stays
    choice = definitions["choice"]["object"]["definition"]
    assert {c["description"]["en"] for c in choice["choices"]} == {"Article 3", "Article 12"}
    assert definitions["fill-in"]["result"]["response"] == "lead"

    export = client.get("/account/export")
    assert export.status_code == 200
    text = json.dumps(json.loads(export.get_data(as_text=True)), ensure_ascii=False)
    assert "Which article covers mercury trade?" in text  # the statements are in the export...
    assert "correctResponsesPattern" not in text and "case_matters" not in text  # ... without the key
    assert '"mercury"' not in text


def test_steps_and_matches_are_not_listed_in_their_right_order(app):
    """Without the key, an ordering question's steps are listed by id, and a matching question's matches
    have ids that do not name their pair, nor can be worked out from the ids the learner sees (keyed
    with the site's secret; the learner's response uses the same ids)."""
    import hashlib

    from courses.services import questions as qs

    def q(kind, data):
        spec, fields = qs.normalise_question(kind, dict(prompt="P", **data))
        fields.pop("points")
        return {"uuid": "u", "kind": kind, "points": 1, "spec": spec}, fields

    steps = [{"id": i, "text": t} for i, t in (("s3", "One"), ("s1", "Two"), ("s2", "Three"))]
    order, texts = q("ordering", {"items": steps})
    keyed = qs.interaction(order, texts, "en")
    assert [c["id"] for c in keyed["choices"]] == ["s3", "s1", "s2"]
    assert keyed["correctResponsesPattern"] == ["s3[,]s1[,]s2"]
    bare = qs.interaction(order, texts, "en", key=False)
    assert [c["id"] for c in bare["choices"]] == ["s1", "s2", "s3"] and "correctResponsesPattern" not in bare

    pairs = [
        {"id": "p1", "source": "Art. 3", "target": "Supply"},
        {"id": "p2", "source": "Art. 8", "target": "Air"},
    ]
    match, texts = q("matching", {"pairs": pairs})
    bare = qs.interaction(match, texts, "en", key=False)
    assert "correctResponsesPattern" not in bare
    target_ids = {t["description"]["en"]: t["id"] for t in bare["target"]}
    assert not any(tid.startswith(("p1", "p2")) for tid in target_ids.values())
    plain = {"t" + hashlib.sha256(f"u:{p}".encode()).hexdigest()[:8] for p in ("p1", "p2")}
    assert not plain & set(target_ids.values())
    response = qs.response_string(match, {"p1": "p2", "p2": "p1"}, key=False)
    assert response == f"p1[.]{target_ids['Air']}[,]p2[.]{target_ids['Supply']}"
    assert qs.response_string(match, {"p1": "p1", "p2": "p2"}) == "p1[.]p1_t[,]p2[.]p2_t"
