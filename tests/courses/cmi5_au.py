"""Test helpers: a cmi5 course structure with two AUs in a block and one AU at the top level, and an AU
driven over HTTP as real content would (launch -> fetch URL -> LMS.LaunchData -> statements)."""

from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from lms.db import db

H = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
CMI5 = "https://w3id.org/xapi/cmi5/context/"
ADL = "http://adlnet.gov/expapi/verbs/"
PUB = "https://content.example.org/mercury"


def cmi5_xml(m1="Passed", m2="Completed", m3="CompletedAndPassed") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="{PUB}/course">
    <title><langstring lang="en-US"> Mercury basics </langstring>
      <langstring lang="fr-FR">Le mercure</langstring></title>
    <description><langstring lang="en-US">Three parts.</langstring></description>
  </course>
  <block id="{PUB}/block-1">
    <title><langstring lang="en-US">Sources</langstring>
      <langstring lang="fr-FR">Sources (fr)</langstring></title>
    <description><langstring lang="en-US">Two parts.</langstring></description>
    <au id="{PUB}/au-1" moveOn="{m1}" masteryScore="0.8" launchMethod="OwnWindow">
      <title><langstring lang="en-US">Mining</langstring>
        <langstring lang="fr-FR">Extraction</langstring></title>
      <description><langstring lang="en-US">Primary mining.</langstring></description>
      <url>au1/index.html?lesson=1</url>
      <launchParameters>quiz=on</launchParameters>
      <entitlementKey>key-123</entitlementKey>
    </au>
    <au id="{PUB}/au-2" moveOn="{m2}" activityType="http://adlnet.gov/expapi/activities/media">
      <title><langstring lang="en-US">Trade</langstring></title>
      <description><langstring lang="en-US">Article 3.</langstring></description>
      <url>au2/index.html</url>
    </au>
  </block>
  <au id="{PUB}/au-3" moveOn="{m3}" masteryScore="0.5">
    <title><langstring lang="en-US">Products</langstring></title>
    <description><langstring lang="en-US">Article 4.</langstring></description>
    <url>au3.html</url>
  </au>
</courseStructure>
"""


def package_zip(xml: str | None = None, **moves) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("cmi5.xml", xml or cmi5_xml(**moves))
        for name in ("au1/index.html", "au2/index.html", "au3.html"):
            zf.writestr(name, "<!doctype html><title>AU</title><p>AU</p>")
    return buf.getvalue()


def make_course(trainer, data: bytes, slug="c5"):
    """A published course whose only required step is the cmi5 package ``pkg``."""
    from courses.services import authoring, publishing
    from courses.services.xapi_packages import add_package

    course = authoring.create_course(trainer, slug=slug, source_language="en", title="Mercury", summary="S.")
    unit = authoring.add_unit(trainer, course, title="Practice")
    item = add_package(trainer, unit, slug="pkg", title="", required=True, data=data)
    publishing.publish(trainer, course)
    db.session.commit()
    return course, item


def node(publisher_suffix: str):
    from courses.models_packages import PackageNode

    return db.session.scalar(select(PackageNode).filter_by(publisher_id=f"{PUB}/{publisher_suffix}"))


class AU:
    """One launch of an AU, as the content would drive it."""

    def __init__(self, client, suffix: str, slug="c5"):
        self.client = client
        self.node = node(suffix)
        resp = client.post(f"/courses/{slug}/learn/pkg/launch", data={"au": self.node.uuid})
        assert resp.status_code == 303, resp.data[:300]
        self.url = urlsplit(resp.headers["Location"])
        self.params = {k: v[0] for k, v in parse_qs(self.url.query).items()}
        token = client.post(urlsplit(self.params["fetch"]).path).get_json()
        self.auth = "Basic " + token["auth-token"]
        self.actor = json.loads(self.params["actor"])
        self.registration = self.params["registration"]
        state = client.get(
            "/xapi/activities/state",
            query_string={
                "activityId": self.params["activityId"],
                "agent": self.params["actor"],
                "registration": self.registration,
                "stateId": "LMS.LaunchData",
            },
            headers={"X-Experience-API-Version": "1.0.3", "Authorization": self.auth},
        )
        assert state.status_code == 200, state.data
        self.launch_data = state.get_json()
        self.session = self.launch_data["contextTemplate"]["extensions"][CMI5 + "extensions/sessionid"]

    def statement(self, verb, result=None, *, defined=True, moveon=None, session=True, obj=None):
        context = json.loads(json.dumps(self.launch_data["contextTemplate"]))
        if not session:
            context.pop("extensions")
        context["registration"] = self.registration
        cats = [{"id": CMI5 + "categories/cmi5"}] if defined else []
        has_moveon = (
            moveon if moveon is not None else bool(result and ({"success", "completion"} & set(result)))
        )
        if has_moveon:
            cats.append({"id": CMI5 + "categories/moveon"})
        if cats:
            context["contextActivities"]["category"] = cats
        st = {
            "actor": self.actor,
            "verb": {"id": verb if verb.startswith("http") else ADL + verb},
            "object": {"id": obj or self.params["activityId"]},
            "context": context,
        }
        if result is not None:
            st["result"] = result
        return st

    def send(self, verb, result=None, **kw):
        if result is None and verb not in ("initialized",) and kw.get("defined", True):
            result = {}
        if (
            result is not None
            and verb != "initialized"
            and "duration" not in result
            and kw.get("defined", True)
        ):
            result = {**result, "duration": "PT5S"}
        return self.client.post(
            "/xapi/statements",
            data=json.dumps(self.statement(verb, result, **kw)),
            headers={**H, "Authorization": self.auth},
        )

    def ok(self, verb, result=None, **kw):
        resp = self.send(verb, result, **kw)
        assert resp.status_code == 200, (verb, resp.data)
        return resp

    def passed(self, scaled=1.0):
        return self.ok("passed", {"success": True, "score": {"scaled": scaled}})

    def completed(self):
        return self.ok("completed", {"completion": True})
