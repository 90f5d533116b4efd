"""Manifests of imported xAPI (``tincan.xml``) and cmi5 (``cmi5.xml``) packages. TinCan: the root
activity and its launch file. cmi5 (spec section 13): the course, its blocks (nested) and AUs in document
order, with titles and descriptions per language, moveOn, masteryScore, launchMethod, launchParameters,
entitlementKey and activityType; every problem is listed. DOCTYPEs and entities are refused before
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


def is_url(value: str) -> bool:
    """An absolute http(s) URL: a launch or activity that is used as is, not looked up in the package."""
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
    elif not is_url(launch) and path not in files:
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
    if not is_url(activity_id):
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


def _langstrings(node, name) -> dict[str, str]:
    """``{language: text}`` of a ``title``/``description`` element's ``langstring`` children (whitespace
    trimmed, cmi5 13.1); a bare text counts as ``und``."""
    out: dict[str, str] = {}
    for child in _children(node, name):
        strings = _children(child, "langstring")
        for s in strings:
            text = (s.text or "").strip()
            if text:
                out.setdefault((s.get("lang") or "und").strip() or "und", text)
        if not strings and (child.text or "").strip():
            out.setdefault("und", child.text.strip())
    return out


LAUNCH_METHODS = ("AnyWindow", "OwnWindow")
MAX_NODES = 5000  # cmi5 6.1: at least 1000 AUs must be supported


def _first(texts: dict[str, str]) -> str:
    return next(iter(texts.values()), "")


def _read_cmi5(files) -> dict:
    """A cmi5 course structure: the course, then its blocks (nested) and AUs in document order, as a tree
    of dicts in ``nodes`` (each with ``children``). Every problem is listed (cmi5 13)."""
    root = _parse_xml(files["cmi5.xml"], "cmi5.xml")
    errors: list[tuple[str, str, str]] = []
    ids: set[str] = set()
    count = 0

    def err(message):
        errors.append(("cmi5.xml", "", message))

    def node_id(el, what):
        value = (el.get("id") or "").strip()
        if not is_url(value):
            err(_("%(what)s %(id)s: the id must be an absolute IRI (http… or https…)", what=what, id=value))
        elif value in ids:
            err(_("%(what)s %(id)s: the id is used more than once", what=what, id=value))
        ids.add(value)
        return value

    def titled(el, what, value):
        titles = _langstrings(el, "title")
        if not titles:
            err(_("%(what)s %(id)s: a title is required", what=what, id=value))
        return titles

    def read_au(el) -> dict:
        value = node_id(el, "au")
        move_on = (el.get("moveOn") or "NotApplicable").strip()
        if move_on not in MOVE_ON:
            err(_("au %(id)s: moveOn must be one of %(values)s", id=value, values=", ".join(MOVE_ON)))
        score = None
        if el.get("masteryScore") is not None:
            try:
                score = float(el.get("masteryScore").strip())
                if not 0 <= score <= 1:
                    raise ValueError
            except ValueError:
                err(_("au %(id)s: masteryScore must be a number from 0 to 1", id=value))
                score = None
        method = (el.get("launchMethod") or "AnyWindow").strip()
        if method not in LAUNCH_METHODS:
            err(_("au %(id)s: launchMethod must be AnyWindow or OwnWindow", id=value))
        launch = _text(el, "url")
        _check_launch(files, "cmi5.xml", launch, errors)
        return {
            "kind": "au",
            "publisher_id": value,
            "titles": titled(el, "au", value),
            "descriptions": _langstrings(el, "description"),
            "url": launch,
            "move_on": move_on,
            "mastery_score": score,
            "launch_method": method,
            "launch_parameters": _text(el, "launchParameters"),
            "entitlement_key": _text(el, "entitlementKey"),
            "activity_type": (el.get("activityType") or "").strip(),
            "children": [],
        }

    def read_children(parent) -> list[dict]:
        nonlocal count
        out = []
        for el in parent:
            name = _local(el.tag)
            if name not in ("au", "block"):
                continue
            count += 1
            if count > MAX_NODES:
                err(_("more than %(n)s blocks and AUs", n=MAX_NODES))
                return out
            if name == "au":
                out.append(read_au(el))
                continue
            value = node_id(el, "block")
            children = read_children(el)
            if not children:
                err(_("block %(id)s: a block must hold at least one AU", id=value))
            out.append(
                {
                    "kind": "block",
                    "publisher_id": value,
                    "titles": titled(el, "block", value),
                    "descriptions": _langstrings(el, "description"),
                    "children": children,
                }
            )
        return out

    courses = _children(root, "course")
    if _local(root.tag) != "courseStructure" or len(courses) != 1:
        err(_("the root must be <courseStructure> holding one <course>"))
        raise PackageError(_("The package is refused."), errors=errors)
    course = courses[0]
    course_id = node_id(course, "course")
    course_titles = titled(course, "course", course_id)
    children = read_children(root)
    aus = _walk_aus(children)
    if not aus:
        err(_("the course structure holds no assignable unit (<au>)"))
    if errors:
        raise PackageError(_("The package is refused."), errors=errors)
    first = aus[0]
    return {
        "kind": "cmi5",
        "activity_id": course_id,
        "title": _first(course_titles),
        "launch": first["url"],
        "description": _first(_langstrings(course, "description")),
        "move_on": first["move_on"],
        "mastery_score": first["mastery_score"],
        "launch_parameters": first["launch_parameters"],
        "publisher_id": course_id,
        "nodes": [
            {
                "kind": "course",
                "publisher_id": course_id,
                "titles": course_titles,
                "descriptions": _langstrings(course, "description"),
                "children": children,
            }
        ],
    }


def _walk_aus(nodes: list[dict]) -> list[dict]:
    out = []
    for node in nodes:
        if node["kind"] == "au":
            out.append(node)
        out.extend(_walk_aus(node["children"]))
    return out
