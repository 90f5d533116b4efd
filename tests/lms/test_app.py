from lms import create_app
from lms.config import from_environment


def test_home_renders_with_security_headers(client):
    resp = client.get("/")
    assert resp.status_code == 200
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_environment_settings_are_parsed():
    env = {
        "LMS_PLUGINS": "courses,webinars",
        "LMS_SCHEDULER_ENABLED": "true",
        "DATABASE_URL": "postgresql://x/y",
        "LMS_TEST_DATABASE_URL": "ignored",
        "OTHER": "x",
    }
    cfg = from_environment(env)
    assert cfg == {
        "PLUGINS": ["courses", "webinars"],
        "SCHEDULER_ENABLED": True,
        "SQLALCHEMY_DATABASE_URI": "postgresql://x/y",
    }


def test_production_refuses_to_start_without_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("LMS_SECRET_KEY", raising=False)
    import pytest

    with pytest.raises(RuntimeError, match="LMS_SECRET_KEY"):
        create_app(
            {"ENV": "production", "INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
        )


def test_production_refuses_to_start_without_its_public_address(tmp_path, monkeypatch):
    # Mailed confirmation links and xAPI identifiers would otherwise point at 127.0.0.1:5000.
    monkeypatch.delenv("LMS_BASE_URL", raising=False)
    import pytest

    settings = {
        "ENV": "production",
        "SECRET_KEY": "k" * 40,
        "INSTANCE_PATH": str(tmp_path),
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
    }
    with pytest.raises(RuntimeError, match="LMS_BASE_URL"):
        create_app(settings)
    app = create_app({**settings, "BASE_URL": "https://learn.example.org"})
    assert app.config["SESSION_COOKIE_SECURE"]


def test_development_generates_and_keeps_a_secret_key(tmp_path):
    a = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    b = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert a.config["SECRET_KEY"] and a.config["SECRET_KEY"] == b.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_passwords_are_hashed_with_scrypt_at_full_cost_outside_tests(tmp_path):
    from lms.models import User

    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        user = User(email="a@example.org", name="A")
        user.set_password("a long enough password")
        assert user.password_hash.startswith("scrypt:32768:8:1$")
        assert user.check_password("a long enough password") and not user.check_password("wrong")


def test_the_app_refuses_a_sender_that_is_not_one_address(tmp_path):
    import pytest

    base = {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}
    # An unquoted comma in the display name: mail programs would read "Minamata" as the address, and
    # it would be the organiser of every calendar file.
    for wrong in (
        "Minamata Convention, Secretariat <training@example.org>",
        "",
        "training",
        "training@example.org, other@example.org",
        "a b@example.org",
    ):
        with pytest.raises(RuntimeError, match="LMS_MAIL_FROM is not one mail address"):
            create_app({**base, "MAIL_FROM": wrong})
    quoted = create_app({**base, "MAIL_FROM": '"Minamata Convention, Secretariat" <training@example.org>'})
    assert quoted.config["MAIL_FROM"].endswith("<training@example.org>")


def test_the_app_refuses_an_invitation_lifetime_that_is_not_whole_days(tmp_path, monkeypatch):
    import pytest

    base = {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}
    for wrong in (1.5, 0, -3, "14", True):
        with pytest.raises(RuntimeError, match="LMS_INVITATION_DAYS must be a whole number of days from 1"):
            create_app({**base, "INVITATION_DAYS": wrong})
    # From the environment, as an operator writes it: JSON numbers.
    monkeypatch.setenv("LMS_INVITATION_DAYS", "1.5")
    with pytest.raises(RuntimeError, match="not '1.5'"):
        create_app(base)
    monkeypatch.setenv("LMS_INVITATION_DAYS", "21")
    assert create_app(base).config["INVITATION_DAYS"] == 21
