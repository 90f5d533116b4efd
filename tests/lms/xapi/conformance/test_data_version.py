"""xAPI Data 2.4.10 Version (the Statement "version" property)."""

from __future__ import annotations

import pytest
from xapi_helpers import statement, uid


def test_missing_version_returned_as_1_0_0(lrs):
    # Data 2.4.10.s3.b3: Statements lacking a version MUST be returned with version "1.0.0".
    assert lrs.fetch(lrs.store(statement()))["version"] == "1.0.0"


@pytest.mark.parametrize("version", ["1.0.0", "1.0.3", "1.0.1", "1.0.99"])
def test_version_1_0_x_accepted_and_retained(lrs, version):
    # Data 2.4.10.s3.b1: MUST accept all Statements whose version starts with "1.0.";
    # 2.4.10.s3.b3: returned Statements MUST retain the version they are accepted with.
    stmt = statement(id=uid(), version=version)
    lrs.store(stmt)
    assert lrs.fetch(stmt["id"])["version"] == version


def test_version_1_0_short_form_accepted_and_retained(lrs):
    # Data 2.4.10.s2.b1: the version is formatted as the version header, which may be "1.0"
    # (Communication 3.3); 2.4.10.s3.b3: it is returned as accepted.
    stmt = statement(id=uid(), version="1.0")
    lrs.store(stmt)
    assert lrs.fetch(stmt["id"])["version"] == "1.0"


@pytest.mark.parametrize(
    "version", ["1.1.0", "0.95", "0.9", "2.0.0", "1.10.0", "1.0.", "1", "", "latest", 1.0, None]
)
def test_other_versions_rejected(lrs, version):
    # Data 2.4.10.s3.b2: MUST reject Statements with a version that does not start with "1.0.";
    # Data 2.2.s4.b1.b1: no null values.
    lrs.rejects(statement(id=uid(), version=version))


def test_version_in_batch_rejects_whole_batch(lrs):
    # Communication 3.2.s3.b9: the LRS MUST reject a batch if any Statement within it is rejected.
    good = statement(id=uid())
    bad = statement(id=uid(), version="2.0.0")
    resp = lrs.post_statements([good, bad])
    assert resp.status_code == 400
    assert lrs.get_statements({"statementId": good["id"]}).status_code == 404
