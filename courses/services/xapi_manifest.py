"""Manifests of imported xAPI (``tincan.xml``) and cmi5 (``cmi5.xml``) packages: kind, root activity or
assignable unit, launch file, moveOn rule and mastery score. DOCTYPEs and entities are refused before
parsing (no entity expansion)."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET  # noqa: S405 - DOCTYPE/ENTITY are refused before parsing

from flask_babel import gettext as _

from courses.services.errors import PackageError

MOVE_ON = ("Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(node, name):
    return [c for c in node if _local(c.tag) == name]


def _text(node, name) -> str:
    """A child's text, or its first ``langstring`` (cmi5 titles)."""
    for child in _children(node, name):
        strings = _children(child, "langstring")
        text = (strings[0].text if strings else child.text) or ""
        if text.strip():
            return text.strip()
    return ""


def _parse_xml(data: bytes, name: str):
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise PackageError(
            _("The package is refused."), errors=[(name, "", _("DOCTYPE and entities are not allowed"))]
        )
    try:
        return ET.fromstring(data)  # noqa: S314 - no DTD, so no entity expansion
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else ""
        raise PackageError(
            _("The package is refused."), errors=[(name, line, _("bad XML: %(e)s", e=str(exc)))]
        ) from None


def _is_url(value: str) -> bool:
    return bool(re.match(r"^https?://", value or ""))


def read_manifest(files: dict[str, bytes]) -> dict:
    """The package's kind, root activity/AU, launch file and rules; raises PackageError listing problems."""
    if "cmi5.xml" in files:
        return _read_cmi5(files)
    if "tincan.xml" in files:
        return _read_tincan(files)
    raise PackageError(
        _("The package is refused."), errors=[("", "", _("no tincan.xml or cmi5.xml at the root of the zip"))]
    )


def _check_launch(files, manifest_name, launch, errors):
    path = (launch or "").split("?", 1)[0].split("#", 1)[0]
    if not launch:
        errors.append((manifest_name, "", _("the launch file is missing")))
    elif not _is_url(launch) and path not in files:
        errors.append((manifest_name, "", _("the launch file %(path)s is not in the package", path=path)))


def _read_tincan(files) -> dict:
    root = _parse_xml(files["tincan.xml"], "tincan.xml")
    errors = []
    activities = [a for block in _children(root, "activities") for a in _children(block, "activity")]
    launchable = [a for a in activities if _children(a, "launch")]
    if not launchable:
        errors.append(("tincan.xml", "", _("no activity with a <launch> element")))
        raise PackageError(_("The package is refused."), errors=errors)
    act = launchable[0]
    activity_id = (act.get("id") or "").strip()
    if not _is_url(activity_id):
        errors.append(("tincan.xml", "", _("the activity id must be an absolute IRI (http… or https…)")))
    launch = (_children(act, "launch")[0].text or "").strip()
    _check_launch(files, "tincan.xml", launch, errors)
    if errors:
        raise PackageError(_("The package is refused."), errors=errors)
    return {
        "kind": "tincan",
        "activity_id": activity_id,
        "title": _text(act, "name"),
        "launch": launch,
        "description": _text(act, "description"),
        "move_on": "CompletedOrPassed",
        "mastery_score": None,
        "launch_parameters": "",
    }


def _read_cmi5(files) -> dict:
    root = _parse_xml(files["cmi5.xml"], "cmi5.xml")
    errors = []
    aus = list(root.iter())
    aus = [n for n in aus if _local(n.tag) == "au"]
    if len(aus) != 1:
        errors.append(
            (
                "cmi5.xml",
                "",
                _("exactly one assignable unit (<au>) is supported per package; found %(n)s", n=len(aus)),
            )
        )
        raise PackageError(_("The package is refused."), errors=errors)
    au = aus[0]
    activity_id = (au.get("id") or "").strip()
    if not _is_url(activity_id):
        errors.append(("cmi5.xml", "", _("the AU id must be an absolute IRI (http… or https…)")))
    move_on = au.get("moveOn", "NotApplicable")
    if move_on not in MOVE_ON:
        errors.append(("cmi5.xml", "", _("moveOn must be one of %(values)s", values=", ".join(MOVE_ON))))
    mastery = au.get("masteryScore")
    score = None
    if mastery is not None:
        try:
            score = float(mastery)
            if not 0 <= score <= 1:
                raise ValueError
        except ValueError:
            errors.append(("cmi5.xml", "", _("masteryScore must be a number from 0 to 1")))
    launch = _text(au, "url")
    _check_launch(files, "cmi5.xml", launch, errors)
    if errors:
        raise PackageError(_("The package is refused."), errors=errors)
    return {
        "kind": "cmi5",
        "activity_id": activity_id,
        "title": _text(au, "title"),
        "launch": launch,
        "description": _text(au, "description"),
        "move_on": move_on,
        "mastery_score": score,
        "launch_parameters": _text(au, "launchParameters"),
        "publisher_id": next(
            ((n.get("id") or "").strip() for n in root.iter() if _local(n.tag) == "course"), None
        ),
    }
