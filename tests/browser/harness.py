"""The browser harness (loaded for the whole suite from tests/conftest.py): the app on a loopback
port with the demo content, driven by Playwright in
Debian's headless Chromium.

Browser tests skip with a one-line reason when no Chromium is found; with ``LMS_REQUIRE_BROWSER=1``
(CI) a missing browser is a failure instead.
"""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from lms import create_app
from lms.db import db

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def find_chromium() -> str | None:
    for candidate in (
        os.environ.get("LMS_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    if find_chromium():
        return
    if os.environ.get("LMS_REQUIRE_BROWSER") == "1":
        return  # the browser fixture fails loudly instead of skipping
    skip = pytest.mark.skip(reason="no Chromium found (install Debian's chromium or set LMS_CHROMIUM)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app with demo content, served on 127.0.0.1 on a free port; yields its base URL."""
    folder = tmp_path_factory.mktemp("live")
    port_holder = {}
    app = create_app(
        {
            "SECRET_KEY": "browser-tests",
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(folder / "live.sqlite3"),
            "INSTANCE_PATH": str(folder / "instance"),
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": True,
        }
    )
    with app.app_context():
        db.create_all()
        from lms.demo import seed

        seed(app)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    port_holder["port"] = server.server_port
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": base, "app": app}
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    path = find_chromium()
    if not path:
        pytest.fail("LMS_REQUIRE_BROWSER=1 but no Chromium was found")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()
    pw.stop()
