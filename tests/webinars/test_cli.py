"""The ``webinars`` command group."""

from pathlib import Path

from sqlalchemy import func, select

from lms.db import db
from webinars.models import QAItem


def test_cli_imports_reindex_and_clean(app, full_session, make_user, tmp_path):
    runner = app.test_cli_runner()
    good = tmp_path / "qa.csv"
    good.write_text("Question,Answer\nFrom the command line?,Yes\n")
    result = runner.invoke(args=["webinars", "import-qa", full_session.slug, str(good)])
    assert result.exit_code == 0 and "1 questions imported" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("Question,Time\nOK?,nope\n")
    result = runner.invoke(args=["webinars", "import-qa", full_session.slug, str(bad)])
    assert result.exit_code != 0 and "row 2" in result.output
    assert db.session.scalar(select(func.count(QAItem.id))) == 1
    user = make_user()
    att = tmp_path / "att.csv"
    att.write_text(f"Email\n{user.email}\n")
    result = runner.invoke(args=["webinars", "import-attendance", full_session.slug, str(att)])
    assert "recorded: 1" in result.output
    result = runner.invoke(args=["webinars", "reindex"])
    assert result.exit_code == 0 and "search documents" in result.output
    orphan = Path(app.config["MEDIA_DIR"]) / "webinars" / "orphan.mp4"
    orphan.write_bytes(b"x")
    result = runner.invoke(args=["webinars", "clean-media", "--min-age", "0"])
    assert "1 orphan file(s)" in result.output and not orphan.exists()
    assert all(p.exists() for p in (Path(app.config["MEDIA_DIR"]) / "webinars").iterdir())
    result = runner.invoke(args=["webinars", "transcode-audio", "nope"])
    assert result.exit_code != 0
    result = runner.invoke(args=["webinars", "send-reminders"])
    assert "0 reminders queued" in result.output
