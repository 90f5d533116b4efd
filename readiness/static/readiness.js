/* Readiness: autosave of a questionnaire section (progressive enhancement; the page works without it).
   A change is saved a moment later through the same form, asking for JSON; the hidden version numbers are
   updated from the answer so that the next explicit save does not conflict with our own autosave.
   A change made while a save is under way is saved by a follow-up save once that one is answered (with the
   versions it returned), so no change is left behind; "all saved" is only said when nothing is waiting. */
(function () {
  "use strict";
  var form = document.querySelector("form.r-section[data-autosave='on']");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector(".r-autosave");
  var timer = null;
  var busy = false;
  var again = false;
  var stopped = false;

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    timer = null;
    if (stopped) { return; }
    if (busy) { again = true; return; }
    busy = true;
    again = false;
    say(form.getAttribute("data-saving") || "…");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (resp) {
      return resp.json().then(function (data) { return { status: resp.status, data: data }; });
    }).then(function (r) {
      busy = false;
      var fields = (r.data && r.data.fields) || {};
      Object.keys(fields).forEach(function (name) {
        var input = form.elements.namedItem(name);
        if (input) { input.value = fields[name]; }
      });
      if (r.status === 200) {
        if (again) {
          save();
        } else if (!timer) {
          say(form.getAttribute("data-saved") || "✓");
        }
      } else if (r.status === 409) {
        stopped = true;
        say(form.getAttribute("data-conflict") || "!");
      } else {
        say((r.data && r.data.error) || form.getAttribute("data-failed") || "!");
      }
    }).catch(function () {
      busy = false;
      say(form.getAttribute("data-failed") || "!");
    });
  }

  form.addEventListener("change", function () {
    if (stopped) { return; }
    if (timer) { clearTimeout(timer); }
    if (!busy) { say(""); }
    timer = setTimeout(save, 1500);
  });
}());
