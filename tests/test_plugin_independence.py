"""Plugins never import each other, and the platform runs with any of them switched off.

They meet only through ``lms/signals.py`` and the core registry: with one plugin disabled (or only one
enabled) the demo seeds, and the home page, search and every enabled plugin's navigation pages answer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import url_for

from lms.db import db
from tests.conftest import make_test_app

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ["courses", "webinars", "readiness", "analytics"]


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("plugin", PLUGINS)
def test_a_plugin_imports_no_other_plugin(plugin):
    others = set(PLUGINS) - {plugin}
    offenders = {
        str(p.relative_to(ROOT)): sorted(_imported_packages(p) & others)
        for p in (ROOT / plugin).rglob("*.py")
        if _imported_packages(p) & others
    }
    assert offenders == {}


def test_the_import_check_sees_an_import(tmp_path):
    # The check above must be able to fail: a module importing another plugin is seen.
    module = tmp_path / "m.py"
    module.write_text("from webinars.models import Series\nimport analytics.rollups\n", encoding="utf-8")
    assert {"webinars", "analytics"} <= _imported_packages(module)


@pytest.mark.parametrize(
    "enabled",
    [[p for p in PLUGINS if p != off] for off in PLUGINS] + [[p] for p in PLUGINS],
    ids=[f"without-{p}" for p in PLUGINS] + [f"only-{p}" for p in PLUGINS],
)
def test_platform_runs_with_a_subset_of_plugins(enabled, tmp_path):
    from lms.demo import seed

    app = make_test_app(f"sqlite:///{tmp_path / 'lms.db'}", tmp_path, PLUGINS=enabled)
    with app.app_context():
        db.create_all()
        seed(app)
        db.session.commit()
        assert sorted(app.extensions["lms_plugins"]) == sorted(enabled)
        plugins = app.extensions["lms_plugins"]
        with app.test_request_context():
            nav = [url_for(endpoint) for name in enabled for endpoint, _ in plugins[name].nav]
        pages = ["/", "/search?q=mercury", *nav]
        client = app.test_client()
        for page in pages:
            resp = client.get(page)
            assert resp.status_code == 200, (page, resp.status_code)
        db.session.remove()
        db.engine.dispose()


def test_receivers_see_which_plugins_the_current_app_enables(app, tmp_path):
    import threading

    from lms.plugins import is_enabled

    assert all(is_enabled(p) for p in PLUGINS)
    other = make_test_app(f"sqlite:///{tmp_path / 'other.db'}", tmp_path, PLUGINS=["webinars"])
    with other.app_context():
        assert is_enabled("webinars") and not is_enabled("courses") and not is_enabled("analytics")
    seen = []
    outside = threading.Thread(target=lambda: seen.append(is_enabled("courses")))  # no app context there
    outside.start()
    outside.join()
    assert seen == [False]
