"""Every route of the app has an authorisation test: each ``tests/**/test_authorization.py`` lists the
endpoints it checks for every role in ``ENDPOINTS_COVERED``; a route missing from all of them fails."""

from __future__ import annotations

import importlib.util
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _covered() -> set[str]:
    covered: set[str] = set()
    for path in sorted(TESTS.rglob("test_authorization*.py")):
        spec = importlib.util.spec_from_file_location(f"_authz_{abs(hash(path))}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        covered |= set(getattr(module, "ENDPOINTS_COVERED", ()))
    return covered


def test_every_route_has_an_authorisation_test(app):
    endpoints = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and not rule.endpoint.endswith(".static")
    }
    missing = sorted(endpoints - _covered())
    assert not missing, f"routes without an authorisation test: {missing}"
