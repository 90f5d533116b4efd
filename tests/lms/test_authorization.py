"""Authorisation of the core pages: public to everyone, whatever the role."""

import pytest

ENDPOINTS_COVERED = {"core.home", "core.set_language", "core.search", "core.health"}

ROLES = [None, "learner", "trainer", "coordinator", "admin"]
PUBLIC = [("/", 200), ("/search?q=mercury", 200), ("/healthz", 200), ("/language/fr?next=/", 302)]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "status"), PUBLIC)
def test_core_pages_are_public(client, make_user, login, role, path, status):
    if role:
        login(make_user(role=role))
    assert client.get(path).status_code == status
