"""The team workflow: start, invite, answer per section with conflicts, bad input refused whole, states,
recall, acknowledgement, audit trail and xAPI statements."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from lms.db import db, utcnow
from lms.models import OutboxMessage
from readiness import services
from readiness.models import Answer, Assessment, Result
from tests.readiness.conftest import full_answers, section_form, statements, submit


def test_only_the_countrys_coordinator_starts_one_assessment_per_cycle(coordinator, make_user):
    with pytest.raises(services.ReadinessError):
        services.start_assessment(make_user(role="learner"), cycle="2026", language="fr")
    with pytest.raises(services.ReadinessError):
        services.start_assessment(make_user(role="admin"), cycle="2026", language="fr")
    with pytest.raises(services.ReadinessError, match="year"):
        services.start_assessment(coordinator, cycle="26", language="fr")
    a = services.start_assessment(coordinator, cycle="2026", language="fr")
    db.session.commit()
    assert a.state == "draft" and a.submitter_id == coordinator.id and a.country_code == "FR"
    with pytest.raises(services.ReadinessError, match="already"):
        services.start_assessment(coordinator, cycle="2026", language="fr")
    (started,) = statements("/start")
    assert started.user_id == coordinator.id and started.registration == a.uuid
    assert started.object_activity_id.endswith(f"/xapi/activities/readiness-assessment/{a.uuid}")
    ext = started.data["context"]["extensions"]
    assert any(k.endswith("/assessment-country") and v == "FR" for k, v in ext.items())


def test_start_through_the_page(client_for, coordinator):
    c = client_for(coordinator)
    resp = c.post("/readiness/start", data={"cycle": "2026", "language": "fr"})
    assert resp.status_code == 302 and "/team" in resp.headers["Location"]
    assert db.session.scalar(select(func.count(Assessment.id))) == 1
    resp = c.post("/readiness/start", data={"cycle": "20x6", "language": "fr"})
    assert resp.status_code == 400 and "The cycle is a year" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Assessment.id))) == 1
    # The refused form was shown at /readiness/start: reopening that address goes back to the form.
    again = c.get("/readiness/start")
    assert again.status_code == 302 and again.headers["Location"].endswith("/readiness/")


def test_the_start_form_proposes_a_cycle_the_country_has_not_assessed(client_for, coordinator):
    c = client_for(coordinator)
    year = utcnow().year
    assert f'name="cycle" required type="text" value="{year}"' in c.get("/readiness/").get_data(as_text=True)
    c.post("/readiness/start", data={"cycle": str(year), "language": "fr"})
    c.post("/readiness/start", data={"cycle": str(year + 1), "language": "fr"})
    assert f'name="cycle" required type="text" value="{year + 2}"' in c.get("/readiness/").get_data(
        as_text=True
    )
    assert services.suggested_cycle("SN", year) == str(year)  # another country's cycles are its own


def test_a_refused_start_keeps_the_choices_and_shows_the_reason_at_the_cycle(client_for, coordinator):
    c = client_for(coordinator)
    c.post("/readiness/start", data={"cycle": "2026", "language": "fr"})
    resp = c.post("/readiness/start", data={"cycle": "2026", "language": "ar"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert re.search(
        r'<p class="error" id="cycle-error">Your country already has an assessment for 2026\.</p>', page
    )
    assert 'aria-invalid="true"' in page and 'href="#cycle"' in page
    assert re.search(r'<option (selected )?value="ar"( selected)?>', page)
    assert db.session.scalar(select(func.count(Assessment.id))) == 1


def test_invitations_are_limited_to_colleagues_of_the_country(assessment, coordinator, make_user):
    foreign = make_user(role="learner", country_code="SN")
    with pytest.raises(services.ReadinessError, match="own country"):
        services.invite(assessment, coordinator, user_id=foreign.id, role="editor", sections=["data"])
    colleague = make_user(role="learner", country_code="FR")
    with pytest.raises(services.ReadinessError, match="at least one section"):
        services.invite(assessment, coordinator, user_id=colleague.id, role="editor", sections=[])
    with pytest.raises(services.ReadinessError, match="Unknown section"):
        services.invite(assessment, coordinator, user_id=colleague.id, role="editor", sections=["nope"])
    with pytest.raises(services.ReadinessError):
        services.invite(assessment, colleague, user_id=colleague.id, role="editor", sections=["data"])
    assert len(assessment.members) == 2
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert len(mails) == 2 and all(f"/readiness/a/{assessment.uuid}" in m.body for m in mails)


def test_invite_through_the_team_page(client_for, assessment, coordinator, make_user):
    colleague = make_user(role="learner", country_code="FR", name="Zoé Nouvelle")
    c = client_for(coordinator)
    page = c.get(f"/readiness/a/{assessment.uuid}/team").get_data(as_text=True)
    assert "Zoé Nouvelle" in page
    resp = c.post(
        f"/readiness/a/{assessment.uuid}/team",
        data={"user_id": colleague.id, "role": "editor", "sections": ["skills", "inclusion"]},
    )
    assert resp.status_code == 302
    db.session.expire_all()
    member = next(m for m in assessment.members if m.user_id == colleague.id)
    assert member.role == "editor" and member.sections == ["skills", "inclusion"]


def test_a_refused_invitation_keeps_the_colleague_and_role(client_for, assessment, coordinator, make_user):
    import re

    colleague = make_user(role="learner", country_code="FR", name="Zoé Nouvelle")
    members = len(assessment.members)
    resp = client_for(coordinator).post(
        f"/readiness/a/{assessment.uuid}/team", data={"user_id": colleague.id, "role": "editor"}
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    option = re.search(rf'<option[^>]*value="{colleague.id}"[^>]*>', page).group(0)
    assert "selected" in option
    role = re.search(r'<input[^>]*name="role"[^>]*value="editor"[^>]*>', page).group(0)
    assert "checked" in role
    sections = page[page.index('id="sections"') :]
    assert "Choose at least one section" in sections[: sections.index("</fieldset>")]
    db.session.expire_all()
    assert len(assessment.members) == members


def test_section_editors_answer_only_their_sections(client_for, assessment, editor, reviewer, questionnaire):
    c = client_for(editor)
    data = section_form(
        questionnaire,
        "reporting",
        {"2.1": 3, "2.2": "yes", "2.3": "no", "2.5": ["report"]},
        comments={"2.3": ("Only one account.", "https://example.org/evidence")},
    )
    resp = c.post(f"/readiness/a/{assessment.uuid}/section/reporting", data=data)
    assert resp.status_code == 302
    rows = services.answers_of(assessment)
    assert rows["2.1"].answer == 3 and rows["2.3"].answer == "no" and rows["2.5"].answer == ["report"]
    assert (
        rows["2.3"].comment == "Only one account."
        and rows["2.3"].evidence_url == "https://example.org/evidence"
    )
    assert rows["2.1"].version == 1 and rows["2.1"].updated_by_id == editor.id
    gov = section_form(questionnaire, "governance", {"1.1": 2})
    assert c.post(f"/readiness/a/{assessment.uuid}/section/governance", data=gov).status_code == 403
    assert (
        client_for(reviewer).post(f"/readiness/a/{assessment.uuid}/section/reporting", data=data).status_code
        == 403
    )
    page = c.get(f"/readiness/a/{assessment.uuid}/section/governance").get_data(as_text=True)
    assert "You can read this section" in page


def test_skip_logic_shows_a_follow_up_question_after_saving(
    client_for, assessment, coordinator, questionnaire
):
    c = client_for(coordinator)
    url = f"/readiness/a/{assessment.uuid}/section/governance"
    assert 'id="item-1.5"' not in c.get(url).get_data(as_text=True)
    c.post(url, data=section_form(questionnaire, "governance", {"1.1": 2}))
    assert 'id="item-1.5"' in c.get(url).get_data(as_text=True)


def test_a_stale_save_is_a_conflict_showing_both_answers(
    client_for, assessment, coordinator, editor, questionnaire
):
    url = f"/readiness/a/{assessment.uuid}/section/reporting"
    first = client_for(editor).post(url, data=section_form(questionnaire, "reporting", {"2.2": "yes"}))
    assert first.status_code == 302
    # The coordinator opened the page before that save (version 0) and now saves "no".
    late = client_for(coordinator).post(
        url, data=section_form(questionnaire, "reporting", {"2.2": "no", "2.1": 1})
    )
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert (
        "Changed meanwhile by <bdi>Camille Editor</bdi>" in page
        and "Their answer" in page
        and "Your answer" in page
    )
    rows = services.answers_of(assessment)
    assert rows["2.2"].answer == "yes" and rows["2.2"].version == 1  # not overwritten
    assert rows["2.1"].answer == 1  # the other, unconflicting item was saved
    # Saving again from the conflict page (now with version 1) replaces the answer deliberately.
    again = client_for(coordinator).post(
        url,
        data=section_form(questionnaire, "reporting", {"2.2": "no", "2.1": 1}, versions={"2.2": 1, "2.1": 1}),
    )
    assert again.status_code == 302
    db.session.expire_all()
    assert services.answers_of(assessment)["2.2"].answer == "no"


@pytest.mark.parametrize(
    ("answers", "comments", "message"),
    [
        ({"2.1": 9, "2.2": "yes"}, {}, "not one of the choices"),
        ({"2.1": 2, "2.2": "maybe"}, {}, "not one of the choices"),
        ({"2.1": 2, "2.5": ["report", "bogus"]}, {}, "unknown option"),
        ({"2.1": 2, "2.2": "yes"}, {"2.2": ("", "javascript:alert(1)")}, "web address"),
        ({"2.1": 2, "2.2": "yes"}, {"2.2": ("x" * 2001, "")}, "2000"),
    ],
)
def test_bad_input_is_refused_whole(
    client_for, assessment, coordinator, questionnaire, answers, comments, message
):
    url = f"/readiness/a/{assessment.uuid}/section/reporting"
    resp = client_for(coordinator).post(
        url, data=section_form(questionnaire, "reporting", answers, comments=comments)
    )
    assert resp.status_code == 400
    assert message in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_a_forged_version_or_item_is_refused(client_for, assessment, coordinator, questionnaire):
    url = f"/readiness/a/{assessment.uuid}/section/reporting"
    data = section_form(questionnaire, "reporting", {"2.1": 2})
    data["v0"] = "abc"
    assert client_for(coordinator).post(url, data=data).status_code == 400
    with pytest.raises(services.ReadinessError, match="not in this section"):
        services.save_section(assessment, coordinator, "reporting", [services.ItemInput("1.1", 2)])
    assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_states_submission_recall_and_acknowledgement(
    assessment, coordinator, editor, reviewer, secretariat, questionnaire
):
    services.set_submitter(assessment, coordinator, editor.id)
    with pytest.raises(services.ReadinessError):
        services.set_submitter(assessment, coordinator, secretariat.id)
    answers = full_answers(questionnaire, 2)
    from tests.readiness.conftest import answer_all

    answer_all(assessment, coordinator, answers)
    with pytest.raises(services.ReadinessError):
        services.submit(assessment, editor)  # still a draft
    services.send_to_review(assessment, coordinator)
    services.add_note(assessment, reviewer, "Check 2.3 with customs.", "reporting")
    with pytest.raises(services.ReadinessError):
        services.submit(assessment, coordinator)  # not the named submitter
    result = services.submit(assessment, editor)
    db.session.commit()
    assert assessment.state == "submitted" and result.trigger == "submitted"
    assert (
        result.questionnaire_version == "2025.1"
        and result.scoring_version
        and result.rules_version == "2025.1"
    )
    with pytest.raises(services.ReadinessError):
        services.save_section(
            assessment, coordinator, "governance", [services.ItemInput("1.1", 4, version=1)]
        )
    services.recall(assessment, editor)
    assert assessment.state == "in_review"
    services.submit(assessment, editor)
    with pytest.raises(services.ReadinessError):
        services.acknowledge(assessment, coordinator)
    services.acknowledge(assessment, secretariat)
    db.session.commit()
    assert assessment.state == "acknowledged" and assessment.acknowledged_by_id == secretariat.id
    with pytest.raises(services.ReadinessError):
        services.recall(assessment, editor)
    assert db.session.scalar(select(func.count(Result.id))) == 2  # resubmission added a result
    actions = [e.action for e in services.audit_trail(assessment)]
    for action in (
        "readiness.started",
        "readiness.member_set",
        "readiness.submitter_set",
        "readiness.answer_saved",
        "readiness.note_added",
        "readiness.state",
    ):
        assert action in actions
    states = [
        e.details.get("state") for e in services.audit_trail(assessment) if e.action == "readiness.state"
    ]
    assert states == ["in_review", "submitted", "in_review", "submitted", "acknowledged"]


def test_submitted_and_acknowledged_statements(assessment, coordinator, secretariat, questionnaire):
    answers = full_answers(questionnaire, 3)
    services.save_section(
        assessment,
        coordinator,
        "reporting",
        [services.ItemInput("2.1", 3, comment="SECRET free text", evidence_url="https://x.org/e")],
    )
    result = submit(assessment, coordinator, answers | {"2.1": 3})
    services.acknowledge(assessment, secretariat)
    db.session.commit()
    (sub,) = statements("/submit")
    assert sub.user_id == coordinator.id and sub.registration == assessment.uuid
    ext = sub.data["result"]["extensions"]
    scores = next(v for k, v in ext.items() if k.endswith("/dimension-scores"))
    assert scores == {k: d["score"] for k, d in result.profile["dimensions"].items()}
    assert sub.data["result"]["completion"] is True
    (ack,) = statements("/acknowledge")
    assert ack.user_id == secretariat.id and ack.registration == assessment.uuid
    assert any(
        k.endswith("/assessment-country") and v == "FR" for k, v in ack.data["context"]["extensions"].items()
    )
    for row in statements():
        assert "SECRET" not in str(row.data) and "x.org/e" not in str(row.data)


def test_submission_signal_carries_the_levels(assessment, coordinator, questionnaire):
    from lms.signals import assessment_submitted

    seen = []

    def receiver(sender, **kw):
        seen.append((sender, kw))

    assessment_submitted.connect(receiver)
    try:
        result = submit(assessment, coordinator, full_answers(questionnaire, 4))
    finally:
        assessment_submitted.disconnect(receiver)
    assert seen == [
        (
            "readiness",
            {
                "country_code": "FR",
                "levels": {k: d["level"] for k, d in result.profile["dimensions"].items()},
            },
        )
    ]


def test_state_changes_through_the_pages(client_for, assessment, coordinator, questionnaire):
    from tests.readiness.conftest import answer_all

    answer_all(assessment, coordinator, full_answers(questionnaire, 3))
    c = client_for(coordinator)
    url = f"/readiness/a/{assessment.uuid}/state"
    assert c.post(url, data={"action": "review"}).status_code == 302
    assert c.post(url, data={"action": "explode"}).status_code == 400
    resp = c.post(url, data={"action": "submit"})  # no confirmation ticked
    # Refused at the box itself, not in a message at the top of the page.
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert 'aria-describedby="confirm-error"' in page
    assert '<p class="error" id="confirm-error" role="alert">Tick the confirmation box to submit.</p>' in page
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).state == "in_review"
    resp = c.post(url, data={"action": "submit", "confirm": "y"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/result")
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).state == "submitted"


def test_untouched_items_shown_before_a_colleagues_save_are_not_conflicts(
    client_for, assessment, coordinator, editor, questionnaire
):
    url = f"/readiness/a/{assessment.uuid}/section/reporting"
    coord = client_for(coordinator)
    coord.get(url)  # the coordinator's form shows every item empty (fingerprint of "no answer")
    from readiness.forms import field_names

    assert (
        client_for(editor)
        .post(url, data=section_form(questionnaire, "reporting", {"2.2": "yes"}))
        .status_code
        == 302
    )
    empty = services.answer_fingerprint(None)
    data = section_form(questionnaire, "reporting", {"2.1": 2})
    for index in range(len(questionnaire.dimension("reporting").items)):
        data[field_names(index)["original"]] = empty
    resp = coord.post(url, data=data)  # 2.2 is posted empty but was not touched: no conflict, no overwrite
    assert resp.status_code == 302
    rows = services.answers_of(assessment)
    assert rows["2.2"].answer == "yes" and rows["2.1"].answer == 2


def test_autosave_answers_json_with_new_versions(client_for, assessment, editor, questionnaire):
    from readiness.forms import field_names

    c = client_for(editor)
    url = f"/readiness/a/{assessment.uuid}/section/reporting"
    resp = c.post(
        url, data=section_form(questionnaire, "reporting", {"2.1": 2}), headers={"Accept": "application/json"}
    )
    assert resp.status_code == 200 and resp.json["ok"] and resp.json["saved"] == ["2.1"]
    names = field_names(0)
    assert resp.json["fields"][names["version"]] == "1"
    data = section_form(questionnaire, "reporting", {"2.1": 3}, versions={"2.1": 1})
    resp = c.post(url, data=data, headers={"Accept": "application/json"})
    assert resp.status_code == 200 and resp.json["fields"][names["version"]] == "2"
    stale = section_form(questionnaire, "reporting", {"2.1": 4}, versions={"2.1": 1})
    resp = c.post(url, data=stale, headers={"Accept": "application/json"})
    assert resp.status_code == 409 and resp.json["conflicts"] == ["2.1"]
    bad = section_form(questionnaire, "reporting", {"2.1": 7}, versions={"2.1": 2})
    resp = c.post(url, data=bad, headers={"Accept": "application/json"})
    assert resp.status_code == 400 and "not one of the choices" in resp.json["error"]
    assert services.answers_of(assessment)["2.1"].answer == 3


def test_bad_team_and_note_input_is_refused(client_for, assessment, coordinator, reviewer, make_user):
    foreign = make_user(role="learner", country_code="SN")
    c = client_for(coordinator)
    team = f"/readiness/a/{assessment.uuid}/team"
    resp = c.post(team, data={"user_id": foreign.id, "role": "editor", "sections": ["data"]})
    assert resp.status_code == 400 and "Not a valid choice" in resp.get_data(as_text=True)
    resp = c.post(team, data={"user_id": "abc", "role": "boss"})
    assert resp.status_code == 400
    resp = c.post(f"{team}/submitter", data={"user_id": foreign.id}, follow_redirects=True)
    assert "Choose the coordinator or a section editor" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert len(assessment.members) == 2 and assessment.submitter_id == coordinator.id
    services.send_to_review(assessment, coordinator)
    db.session.commit()
    r = client_for(reviewer)
    resp = r.post(f"/readiness/a/{assessment.uuid}/notes", data={"text": "   "}, follow_redirects=True)
    assert "Write a note" in resp.get_data(as_text=True)
    resp = r.post(f"/readiness/a/{assessment.uuid}/notes", data={"text": "x" * 4001}, follow_redirects=True)
    assert "Write a note" in resp.get_data(as_text=True)
    resp = r.post(
        f"/readiness/a/{assessment.uuid}/notes",
        data={"text": "ok", "dimension": "nowhere"},
        follow_redirects=True,
    )
    assert services.notes_of(assessment) == []


def test_a_refused_note_keeps_its_text_and_shows_the_reason_at_the_field(
    client_for, assessment, coordinator, reviewer
):
    """A note that is too long comes back in the form (nothing typed is lost) with the reason tied to
    the field and a summary linking to it, not as a message above a blank form."""
    from readiness import services

    services.send_to_review(assessment, coordinator)
    db.session.commit()
    r = client_for(reviewer)
    long_note = "Les comptes manquent. " * 200
    resp = r.post(f"/readiness/a/{assessment.uuid}/notes", data={"text": long_note, "dimension": "reporting"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert long_note.strip() in page  # the typed text, back in the textarea
    assert '<option selected value="reporting">' in page or 'value="reporting" selected' in page
    assert 'aria-invalid="true"' in page and 'id="text-error"' in page
    assert re.search(r'<p class="error" id="text-error">Write a note of at most 4000 characters\.</p>', page)
    assert 'role="alert"' in page and 'href="#text"' in page
    assert services.notes_of(assessment) == []


def test_the_audit_trail_reads_as_text_in_the_readers_language(client_for, assessment, coordinator, editor):
    """Details are phrases with names, translated roles, section titles and answers, not stored keys."""
    import html
    import re

    from tests.readiness.conftest import answer_all

    answer_all(assessment, coordinator, {"1.2": "no"})
    answer_all(assessment, coordinator, {"1.2": "partly"})
    services.set_benchmark_opt_in(assessment, coordinator, True)
    db.session.commit()
    c = client_for(coordinator)
    c.get("/language/fr")
    page = c.get(f"/readiness/a/{assessment.uuid}/audit").get_data(as_text=True)
    cells = [html.unescape(re.sub(r"<[^>]+>", "", td)) for td in re.findall(r"<td>(.*?)</td>", page, re.S)]
    text = "\n".join(cells)
    for raw in ("user:", "role:", "sections:", "['", "opt_in", "item:", "comment_changed", "True", "False"):
        assert raw not in text, raw
    assert "Camille Editor" in text  # the invited section editor, by name
    assert "Rapports nationaux au titre de l’article 21" in text  # a section title in French
    assert "1.2" in text and "Non" in text and "En partie" in text  # the answers, as labelled on the form


def test_saving_a_section_counts_answers_in_the_readers_grammar(
    client_for, assessment, coordinator, questionnaire
):
    c = client_for(coordinator)
    url = f"/readiness/a/{assessment.uuid}/section"
    two = section_form(questionnaire, "governance", {"1.1": 2, "1.2": "yes"})
    assert "Saved 2 answers." in c.post(f"{url}/governance", data=two, follow_redirects=True).get_data(True)
    one = section_form(questionnaire, "reporting", {"2.1": 3})
    page = c.post(f"{url}/reporting", data=one, follow_redirects=True).get_data(as_text=True)
    assert "Saved 1 answer." in page and "answer(s)" not in page


def test_a_refused_section_lists_each_reason_as_the_readers_language_writes_it(
    client_for, assessment, coordinator, questionnaire
):
    c = client_for(coordinator)
    c.get("/language/zh")
    data = section_form(questionnaire, "governance", {"1.1": 2}, comments={"1.1": ("", "not a link")})
    resp = c.post(f"/readiness/a/{assessment.uuid}/section/governance", data=data)
    summary = resp.get_data(as_text=True).split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert resp.status_code == 400
    assert re.search(r'<a href="#e0">[^<]+</a>：', summary) and "</a>: " not in summary


def test_an_evidence_link_typed_without_https_is_kept_as_a_web_address(
    client_for, assessment, coordinator, questionnaire
):
    """An address copied from an address bar ("www.example.org/decree") is saved as https, not refused."""
    c = client_for(coordinator)
    data = section_form(
        questionnaire,
        "governance",
        {"1.1": 2, "1.2": "yes"},
        comments={"1.1": ("", " www.example.org/decree?id=7 "), "1.2": ("", "gov.example.fr")},
    )
    resp = c.post(f"/readiness/a/{assessment.uuid}/section/governance", data=data)
    assert resp.status_code == 302
    rows = services.answers_of(assessment)
    assert rows["1.1"].evidence_url == "https://www.example.org/decree?id=7"
    assert rows["1.2"].evidence_url == "https://gov.example.fr"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("example.org", "https://example.org"),
        ("www.example.org/Decree.pdf", "https://www.example.org/Decree.pdf"),
        ("Decree.pdf", "Decree.pdf"),  # a file's name stays as typed, for the validator to refuse
        ("report.DOCX", "report.DOCX"),
        ("not an address", "not an address"),
    ],
)
def test_only_what_reads_as_a_site_is_given_https(typed, read):
    from readiness.forms import with_web_scheme

    assert with_web_scheme(typed) == read


def test_a_refused_section_says_nothing_was_saved_and_names_the_question(
    client_for, assessment, coordinator, questionnaire
):
    # The message said "some answers could not be saved", as if the others had been: none is.
    c = client_for(coordinator)
    data = section_form(
        questionnaire, "governance", {"1.1": 2, "1.2": "yes"}, comments={"1.2": ("", "not a link")}
    )
    resp = c.post(f"/readiness/a/{assessment.uuid}/section/governance", data=data)
    assert resp.status_code == 400
    summary = resp.get_data(as_text=True).split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Nothing in this section was saved." in summary
    assert re.search(r'<a href="#e1">1\.2 Evidence link', summary)
    assert services.answers_of(assessment) == {}


def test_ticked_options_and_audit_details_are_lists_in_the_readers_language(
    client_for, assessment, coordinator
):
    """A checklist answer and the parts of an audit entry read "A、B和C" in Chinese, not "A; B; C"."""
    from tests.readiness.conftest import answer_all

    answer_all(assessment, coordinator, {"1.4": ["environment", "health", "customs"]})
    c = client_for(coordinator)
    c.get("/language/zh")
    page = c.get(f"/readiness/a/{assessment.uuid}/audit").get_data(as_text=True)
    assert "环境部、卫生部和海关" in page and "; " not in page
    review = c.get(f"/readiness/a/{assessment.uuid}/review").get_data(as_text=True)
    assert "环境部、卫生部和海关" in review


def test_acknowledging_keeps_the_secretariat_s_filter(
    client_for, assessment, coordinator, secretariat, questionnaire
):
    submit(assessment, coordinator, full_answers(questionnaire, 2))
    db.session.commit()
    admin = client_for(secretariat)
    page = admin.get("/readiness/secretariat?state=submitted").get_data(as_text=True)
    assert '<input type="hidden" name="state" value="submitted">' in page
    url = f"/readiness/secretariat/a/{assessment.uuid}/acknowledge"
    resp = admin.post(url, data={"state": "submitted"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(
        "/readiness/secretariat?state=submitted"
    )
    # Again (refused: already acknowledged), with a state that is no filter: back to the whole list.
    resp = admin.post(url, data={"state": "<script>"})
    assert resp.headers["Location"].endswith("/readiness/secretariat")


def test_a_submitted_assessment_s_section_says_why_it_cannot_be_changed(
    client_for, assessment, coordinator, questionnaire
):
    submit(assessment, coordinator, full_answers(questionnaire, 2))
    db.session.commit()
    page = (
        client_for(coordinator)
        .get(f"/readiness/a/{assessment.uuid}/section/governance")
        .get_data(as_text=True)
    )
    assert "This assessment has been submitted: its answers can be read, no longer changed." in page
    assert "only its section editors and the coordinator can change it" not in page
