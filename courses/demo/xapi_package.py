"""A small xAPI activity built for the demo: a self-check on mercury-added products (Article 4) that
reports to the platform's LRS with the TinCan launch convention, or with cmi5 (fetch URL, LaunchData).
Plain HTML and one script file; no framework, a few kilobytes."""

from __future__ import annotations

import io
import zipfile

TINCAN_ID = "https://minamata-lms.example.org/xapi/demo/article-4-self-check"
CMI5_AU_ID = "https://minamata-lms.example.org/xapi/demo/article-4-self-check/au"

INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Article 4 self-check</title><link rel="stylesheet" href="style.css"></head>
<body><main>
<h1>Article 4 self-check: mercury-added products</h1>
<p>Annex A, Part I lists products whose manufacture, import and export Parties must stop after the phase-out
date (2020 for most of them; 2025 for some added by COP decisions).</p>
<form id="check">
<fieldset><legend>Which of these are listed in Annex A, Part I?</legend>
<p><input type="checkbox" id="o1" name="o" value="batteries"><label for="o1">Most batteries</label></p>
<p><input type="checkbox" id="o2" name="o" value="thermometers">
<label for="o2">Non-electronic thermometers</label></p>
<p><input type="checkbox" id="o3" name="o" value="amalgam">
<label for="o3">Dental amalgam (phase-down under Part II)</label></p>
</fieldset>
<p><button type="submit">Check my answer</button></p>
</form>
<p id="status" role="status"></p>
</main><script src="activity.js"></script></body></html>
"""

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:auto;padding:1rem}\n"
    "#status{font-weight:700}\n"
)

SCRIPT = r"""(function () {
  var CMI5 = 'https://w3id.org/xapi/cmi5/context/';
  var q = new URLSearchParams(location.search);
  var endpoint = q.get('endpoint'), actor = JSON.parse(q.get('actor') || 'null');
  var registration = q.get('registration');
  var activity = q.get('activity_id') || q.get('activityId');
  var auth = q.get('auth'), fetchUrl = q.get('fetch'), launchData = null, judged = null;
  var started = Date.now(), status = document.getElementById('status');
  function duration() { return 'PT' + ((Date.now() - started) / 1000).toFixed(2) + 'S'; }
  // cmi5: the context is the LMS's contextTemplate (session id, publisher grouping) plus the cmi5
  // category for cmi5 defined statements and the moveOn category when the result has success/completion.
  function send(verb, result) {
    var st = {actor: actor, verb: {id: 'http://adlnet.gov/expapi/verbs/' + verb, display: {'en-US': verb}},
              object: {id: activity, objectType: 'Activity'}, context: {registration: registration}};
    if (launchData) {
      var ctx = JSON.parse(JSON.stringify(launchData.contextTemplate));
      ctx.registration = registration;
      ctx.contextActivities = ctx.contextActivities || {};
      var cats = [{id: CMI5 + 'categories/cmi5'}];
      if (result && ('success' in result || 'completion' in result)) {
        cats.push({id: CMI5 + 'categories/moveon'});
      }
      ctx.contextActivities.category = cats;
      if (result && 'success' in result && launchData.masteryScore !== undefined) {
        ctx.extensions[CMI5 + 'extensions/masteryscore'] = launchData.masteryScore;
      }
      st.context = ctx;
      if (verb !== 'initialized') { result = result || {}; result.duration = duration(); }
    }
    if (result) { st.result = result; }
    return fetch(endpoint + 'statements', {method: 'POST', body: JSON.stringify(st), headers: {
      'Authorization': auth, 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3'}});
  }
  function ready() {
    if (!fetchUrl) { return Promise.resolve(); }
    return fetch(fetchUrl, {method: 'POST'}).then(function (r) { return r.json(); }).then(function (body) {
      auth = 'Basic ' + body['auth-token'];
      var state = endpoint + 'activities/state?' + new URLSearchParams({activityId: activity,
        agent: JSON.stringify(actor), registration: registration, stateId: 'LMS.LaunchData'});
      return fetch(state, {headers: {'Authorization': auth, 'X-Experience-API-Version': '1.0.3'}});
    }).then(function (r) { return r.json(); }).then(function (data) {
      launchData = data;
      return send('initialized');
    });
  }
  var ready_ = ready();
  document.getElementById('check').addEventListener('submit', function (event) {
    event.preventDefault();
    var chosen = Array.prototype.map.call(document.querySelectorAll('input[name=o]:checked'),
                                          function (i) { return i.value; }).sort().join(',');
    var ok = chosen === 'batteries,thermometers';
    ready_.then(function () {
      // cmi5 allows one judgement (passed or failed) per session: a pass after a fail needs a new launch.
      if (judged && launchData) { return null; }
      judged = ok ? 'passed' : 'failed';
      return send(judged, {success: ok, score: {scaled: ok ? 1 : 0}});
    }).then(function () {
      return ok && judged === 'passed' ? send('completed', {completion: true}) : null;
    }).then(function () {
      if (ok && judged === 'passed') {
        status.textContent = 'Correct: this step is complete. You can close this window.';
        if (launchData) { send('terminated'); }
      } else if (ok) {
        status.textContent = 'Correct. Close this window and open the activity again to record your pass.';
      } else {
        status.textContent = 'Not quite: dental amalgam is phased down (Part II), not phased out. Try again.';
      }
    });
  });
})();
"""

TINCAN_XML = f"""<?xml version="1.0" encoding="utf-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  <activities>
    <activity id="{TINCAN_ID}" type="http://adlnet.gov/expapi/activities/course">
      <name>Article 4 self-check (interactive)</name>
      <description lang="en-US">Which mercury-added products are phased out under Annex A, Part I?
      </description>
      <launch lang="en-us">index.html</launch>
    </activity>
  </activities>
</tincan>
"""

CMI5_XML = f"""<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="{CMI5_AU_ID}/course">
    <title><langstring lang="en-US">Article 4 self-check</langstring></title>
    <description><langstring lang="en-US">A cmi5 version of the self-check.</langstring></description>
  </course>
  <au id="{CMI5_AU_ID}" moveOn="CompletedAndPassed" masteryScore="0.8" launchMethod="AnyWindow">
    <title><langstring lang="en-US">Article 4 self-check (cmi5)</langstring></title>
    <description>
      <langstring lang="en-US">Which mercury-added products are phased out?</langstring>
    </description>
    <url>index.html</url>
  </au>
</courseStructure>
"""


def build(kind: str = "tincan") -> bytes:
    """The demo package as a zip (``kind`` = ``tincan`` or ``cmi5``)."""
    files = {"index.html": INDEX, "style.css": STYLE, "activity.js": SCRIPT}
    files["cmi5.xml" if kind == "cmi5" else "tincan.xml"] = CMI5_XML if kind == "cmi5" else TINCAN_XML
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 6, 1, 0, 0, 0)), files[name])
    return buf.getvalue()
