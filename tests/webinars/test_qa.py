"""Q&A: archived CSV import (anonymised unless consented, bad rows refuse the whole file), follow-up
questions through moderation, answers told by mail, upvotes, limits, and the "asked" statement."""

import pytest
from sqlalchemy import func, select

from lms.db import db
from lms.models import OutboxMessage
from lms.xapi.models import Statement
from webinars import qa
from webinars.errors import WebinarError
from webinars.models import QAItem


def _live(session):
    return db.session.scalars(
        select(QAItem).where(QAItem.session_id == session.id, QAItem.source == "live").order_by(QAItem.time_s)
    ).all()


def test_import_anonymises_askers_without_consent(full_session):
    items = _live(full_session)
    assert [(i.question, i.asker_name, i.time_s, i.status) for i in items] == [
        ("Are dental amalgams covered?", None, 30, "published"),
        ("Which lamps are listed?", "Kofi Mensah", 70, "published"),
    ]
    assert items[1].answered_by == "Expert" and items[1].answer.startswith("Compact")


def test_import_accepts_zoom_style_semicolons_bom_and_clock_times(full_session):
    data = (
        "\ufeffQuestion;Asker Name;Answer;Answered By;Question Time;Language\n"
        "¿Qué pasa con los termómetros?;Luis;Están en el anexo A.;Experto;2024-06-12 13:20:00;es\n"
        "No answer yet;;;;;\n"
    ).encode()
    assert qa.import_qa_csv(None, full_session, data) == 2
    db.session.commit()
    items = _live(full_session)  # replaced the previous import
    assert len(items) == 2
    es = next(i for i in items if i.language == "es")
    assert es.time_s == 20 * 60 and es.asker_name is None and es.answered_by == "Experto"
    other = next(i for i in items if i.language != "es")
    assert other.answer is None and other.answered_by is None and other.time_s is None


@pytest.mark.parametrize(
    ("csv_text", "expected"),
    [
        ("Question,Time\n,0:10\n", "row 2: the question is empty"),
        ("Question,Time\nOK?,99:99\n", "row 2: “99:99” is not a valid time"),
        ("Question,Time\nOK?,3:00:00\n", "row 2: 3:00:00 is after the end of the session"),
        ("Question,Time\nOK?,2023-01-01 10:00\n", "row 2: 2023-01-01 10:00 is not during the session"),
        ("Question,Consent\nOK?,maybe\n", "row 2: consent must be yes or no, not “maybe”"),
        ("Question,Language\nOK?,xx\n", "row 2: unknown language “xx”"),
    ],
)
def test_bad_rows_refuse_the_whole_file(full_session, csv_text, expected):
    good_then_bad = csv_text.replace(
        "\n", "\nFine question?" + "," * csv_text.split("\n")[0].count(",") + "\n", 1
    )
    with pytest.raises(WebinarError) as exc:
        qa.import_qa_csv(None, full_session, good_then_bad.encode())
    assert expected.replace("row 2", "row 3") in exc.value.details
    db.session.rollback()
    assert len(_live(full_session)) == 2  # the earlier import is untouched


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"Asker,Answer\nx,y\n", "Required column(s) missing: question"),
        (b"Question\n", "no rows"),
        ("Question\nÉ\n".encode("latin-1"), "not UTF-8"),
        (b"\x00\x01\x02binary", "binary"),
    ],
)
def test_unreadable_files_are_refused(full_session, data, reason):
    with pytest.raises(WebinarError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        qa.import_qa_csv(None, full_session, data)


def test_followup_moderation_answer_mail_and_statement(full_session, make_user):
    asker = make_user(locale="fr")
    item = qa.ask_question(
        asker, full_session, "Les lampes fluorescentes compactes sont-elles visées ?", "fr", 70
    )
    db.session.commit()
    assert item.status == "pending" and item.asker_name is None
    stmt = db.session.scalar(select(Statement).where(Statement.user_id == asker.id))
    assert stmt.verb_id == "http://adlnet.gov/expapi/verbs/asked"
    assert stmt.object_activity_id.endswith(f"/xapi/activities/webinar/{full_session.uuid}/qa/{item.uuid}")
    assert qa.moderation_queue() == [item]
    trainer = make_user(role="trainer", name="Tomás Trainer")
    qa.moderate(trainer, item, action="answer", answer="Oui, au-delà de 5 mg par lampe.")
    db.session.commit()
    assert item.status == "published" and item.answered_by == "Tomás Trainer"
    assert qa.moderation_queue() == []
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == asker.email))
    assert "5 mg" in mail.body and f"#qa-{item.uuid}" in mail.body


def test_publish_without_answer_then_reject(full_session, make_user):
    trainer = make_user(role="trainer")
    item = qa.ask_question(make_user(), full_session, "A question that is long enough?", "en")
    qa.moderate(trainer, item, action="publish")
    assert item.status == "published" and qa.moderation_queue() == [item]  # still waits for an answer
    with pytest.raises(WebinarError, match="Write the answer"):
        qa.moderate(trainer, item, action="answer", answer="  ")
    qa.moderate(trainer, item, action="reject")
    assert item.status == "rejected" and qa.published_items(full_session) == _live(full_session)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_a_short_question_in_chinese_counts_its_characters_double(app, full_session, make_user):
    """Eight Chinese characters make a whole question; ten Latin ones are still the least."""
    user = make_user()
    assert qa.ask_question(user, full_session, "汞废物如何储存？", "zh").status == "pending"
    for too_short in ("Quand ?", "何时？"):
        with pytest.raises(WebinarError, match="10 to 2000"):
            qa.ask_question(user, full_session, too_short, "fr")


def test_question_limits(app, full_session, make_user):
    user = make_user()
    with pytest.raises(WebinarError, match="10 to 2000"):
        qa.ask_question(user, full_session, "short", "en")
    with pytest.raises(WebinarError, match="10 to 2000"):
        qa.ask_question(user, full_session, "x" * 2001, "en")
    app.config["WEBINARS_QUESTION_RATE"] = [2, 3600]
    qa.ask_question(user, full_session, "First question here?", "en")
    with pytest.raises(WebinarError, match="already asked"):
        qa.ask_question(user, full_session, "First question here?", "en")
    qa.ask_question(user, full_session, "Second question here?", "en")
    with pytest.raises(WebinarError, match="please wait"):
        qa.ask_question(user, full_session, "Third question here?", "en")


def test_upvotes_toggle_and_are_limited(full_session, make_user):
    asker, voter = make_user(), make_user()
    item = qa.ask_question(asker, full_session, "Is there a phase-out date for lamps?", "en")
    with pytest.raises(WebinarError, match="Only published"):
        qa.toggle_vote(voter, item)
    qa.moderate(make_user(role="trainer"), item, action="publish")
    assert qa.toggle_vote(voter, item) is True and item.upvotes == 1
    with pytest.raises(WebinarError, match="your own"):
        qa.toggle_vote(asker, item)
    assert qa.toggle_vote(voter, item) is False and item.upvotes == 0


def test_questions_answers_and_names_keep_their_own_direction_in_an_arabic_page(client, full_session):
    # In an Arabic page, "Which lamps are listed?" read "?Which lamps are listed": each question, answer
    # and name takes its own direction, while the "Q:"/"A:" labels stay Arabic.
    client.get("/language/ar")
    page = client.get(f"/webinars/s/{full_session.slug}").get_data(as_text=True)
    assert 'dir="auto">Which lamps are listed?</span>' in page
    assert 'dir="auto">Compact' in page
    assert "<bdi>Kofi Mensah</bdi>" in page and "<bdi>Expert</bdi>" in page
    assert '<li id="qa-' in page and 'dir="auto">\n    <p class="wb-q">' not in page


def test_chinese_labels_and_asides_use_chinese_punctuation(client, full_session):
    # "问： Which…" had a space after the full-width colon, and "英语 (视频…)" half-width parentheses.
    page = client.get(f"/webinars/s/{full_session.slug}").get_data(as_text=True)
    assert "<strong>Q:</strong> <span" in page and "<strong>A:</strong> <span" in page
    client.get("/language/zh")
    page = client.get(f"/webinars/s/{full_session.slug}").get_data(as_text=True)
    assert "<strong>问：</strong><span" in page and "<strong>答：</strong><span" in page
    available = page.split('class="wb-inline">', 1)[1].split("</ul>", 1)[0]
    assert "（" in available and " (" not in available
