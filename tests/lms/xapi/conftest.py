"""Fixtures of the Statement-resource tests (the conformance suite in ``conformance/`` has its own).

- ``lrs``: a :class:`statements_testing.Client` with credentials holding the ``all`` scope.
- ``make_lrs(scopes=("all",), **create_client_kwargs)``: the same for other scopes or bindings.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements_testing import Client, make_credentials  # noqa: E402


@pytest.fixture
def make_lrs(app, client):
    def _make(scopes=("all",), **kwargs) -> Client:
        _c, key, secret = make_credentials(scopes, **kwargs)
        return Client(client, key, secret)

    return _make


@pytest.fixture
def lrs(make_lrs) -> Client:
    return make_lrs(("all",))
