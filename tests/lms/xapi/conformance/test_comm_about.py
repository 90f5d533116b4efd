"""xAPI Communication 2.8 About Resource."""

from __future__ import annotations

import pytest
from xapi_helpers import BASE, VERSION


def test_about_versions(lrs):
    # Communication 2.8.s5.b1: MUST return a JSON document with "version" including the latest minor and
    # patch version the LRS conforms to for each major version (1.0.3 for this LRS).
    resp = lrs.request("GET", "about")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    body = resp.get_json()
    assert isinstance(body["version"], list)
    assert "1.0.3" in body["version"]
    assert all(isinstance(v, str) for v in body["version"])


def test_about_has_no_other_properties(lrs):
    # Communication 2.8.s5.b2: additional properties MUST NOT be added outside of extensions.
    body = lrs.request("GET", "about").get_json()
    assert set(body) <= {"version", "extensions"}
    if "extensions" in body:
        assert isinstance(body["extensions"], dict)
        assert all("://" in k or k.startswith(("urn:", "tag:")) for k in body["extensions"])


@pytest.mark.parametrize("version", ["0.9", "0.95", "2.0.0", "nonsense"])
def test_about_not_rejected_for_version_header(lrs, version):
    # Communication 2.8.s5.b4: MUST NOT reject requests based on their version header.
    resp = lrs.request("GET", "about", headers={"X-Experience-API-Version": version}, version=None)
    assert resp.status_code == 200


def test_about_without_version_header(lrs):
    # Communication 2.8.s5.b4 (no version header at all is not a reason to reject either).
    assert lrs.request("GET", "about", version=None).status_code == 200


@pytest.mark.xapi_should
def test_about_without_authentication(client):
    # Communication 2.8.s5.b3: an LRS SHOULD allow unauthenticated access to this resource.
    resp = client.get(f"{BASE}/about")
    assert resp.status_code == 200
    assert resp.headers["X-Experience-API-Version"] == VERSION
