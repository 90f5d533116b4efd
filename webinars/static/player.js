/* webinars player: progressive enhancement of the browser's own <video>/<audio>.
   Without this script every link still works (?t= and #t= links, media fragments, plain downloads).
   Adds: click-to-seek, chapter/transcript sync, playback speed, remembered position,
   and (signed-in users) the saved position and xAPI Video Profile statements to the built-in LRS,
   queued in localStorage, sent in batches and retried when the connection comes back. */
(function () {
  "use strict";
  var doc = document, store = window.localStorage;

  function get(key) { try { return store.getItem(key); } catch (e) { return null; } }
  function put(key, value) { try { store.setItem(key, value); } catch (e) { /* private mode */ } }

  var box = doc.getElementById("wb-player"), media = doc.getElementById("wb-media");
  if (!box || !media) { return; }
  var data = box.dataset, posKey = "wb-pos-" + data.key;

  function hashTime(href) {
    var m = /[#&?]t=(\d+(?:\.\d+)?)/.exec(href || "");
    return m ? parseFloat(m[1]) : null;
  }
  function seek(t, play) {
    media.currentTime = t;
    if (play) { var p = media.play(); if (p && p.catch) { p.catch(function () {}); } }
    if (window.history && history.replaceState) { history.replaceState(null, "", "#t=" + Math.floor(t)); }
  }

  // Click-to-seek for chapters, transcript lines and Q&A moments.
  doc.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a.wb-seek") : null;
    if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey) { return; }
    var t = hashTime(a.getAttribute("href"));
    if (t === null) { return; }
    ev.preventDefault();
    seek(t, true);
    media.focus();
  });

  // Start where the link says, else where this person stopped.
  var start = hashTime(location.hash);
  if (start === null && data.resume) { start = parseFloat(data.resume); }
  if (start === null && get(posKey)) { start = parseFloat(get(posKey)); }
  if (start) {
    if (media.readyState >= 1) { media.currentTime = start; }
    else { media.addEventListener("loadedmetadata", function () { media.currentTime = start; }, {once: true}); }
  }

  // Playback speed.
  var tools = doc.createElement("div"), label = doc.createElement("label"), select = doc.createElement("select");
  tools.className = "wb-tools";
  select.id = "wb-speed";
  label.htmlFor = "wb-speed";
  label.textContent = box.getAttribute("data-speed-label") || "Speed";
  // [value, label] pairs; the page writes the labels in the reader's number format ("0,75×").
  var speeds = JSON.parse(box.getAttribute("data-speeds") || "null") ||
    [0.75, 1, 1.25, 1.5, 1.75, 2].map(function (s) { return [String(s), s + "×"]; });
  speeds.forEach(function (s) {
    var o = doc.createElement("option");
    o.value = s[0]; o.textContent = s[1];
    select.appendChild(o);
  });
  select.value = get("wb-speed") || "1";
  media.playbackRate = parseFloat(select.value);
  select.addEventListener("change", function () { media.playbackRate = parseFloat(select.value); put("wb-speed", select.value); });
  tools.appendChild(label); tools.appendChild(select);
  box.parentNode.insertBefore(tools, box.nextSibling);

  // Highlight the current chapter and transcript paragraph.
  var marks = Array.prototype.slice.call(doc.querySelectorAll("#wb-chapters li[data-start], #wb-transcript p[data-start]"));
  var current = [];
  function sync() {
    var t = media.currentTime, now = [], byList = {};
    marks.forEach(function (el) {
      var listId = el.parentNode.id;
      if (parseFloat(el.dataset.start) <= t + 0.2) { byList[listId] = el; }
    });
    Object.keys(byList).forEach(function (k) { now.push(byList[k]); });
    current.forEach(function (el) { if (now.indexOf(el) < 0) { el.classList.remove("wb-current"); } });
    now.forEach(function (el) { el.classList.add("wb-current"); });
    current = now;
  }

  // Played segments, progress and position.
  var segments = [], unsent = [], segStart = null, lastSaved = 0;
  function closeSegment() {
    if (segStart !== null && media.currentTime > segStart) {
      segments.push([segStart, media.currentTime]); unsent.push([segStart, media.currentTime]);
    }
    segStart = null;
  }
  function merged() {
    var all = segments.slice(), out = [];
    if (segStart !== null) { all.push([segStart, media.currentTime]); }
    all.sort(function (a, b) { return a[0] - b[0]; }).forEach(function (s) {
      if (out.length && s[0] <= out[out.length - 1][1] + 0.5) { out[out.length - 1][1] = Math.max(out[out.length - 1][1], s[1]); }
      else { out.push([s[0], s[1]]); }
    });
    return out;
  }
  function progress() {
    if (!media.duration || !isFinite(media.duration)) { return 0; }
    var sum = 0; merged().forEach(function (s) { sum += s[1] - s[0]; });
    return Math.min(1, Math.round(sum / media.duration * 1000) / 1000);
  }
  function segText() {
    return merged().map(function (s) { return s[0].toFixed(3) + "[.]" + s[1].toFixed(3); }).join("[,]");
  }
  // Nothing to save until the recording has played or moved to its start position: leaving before it
  // loaded (a slow line) would otherwise store 0:00 over where the visitor stopped last time.
  var moved = false;
  media.addEventListener("seeked", function () { moved = true; });
  media.addEventListener("playing", function () { moved = true; });
  function savePosition(final) {
    if (!moved && !unsent.length) { return; }
    put(posKey, String(media.currentTime));
    if (!data.positionUrl) { return; }
    var body = JSON.stringify({position: media.currentTime, length: isFinite(media.duration) ? media.duration : null,
      segments: unsent.splice(0, unsent.length).map(function (s) { return [Math.round(s[0] * 10) / 10, Math.round(s[1] * 10) / 10]; }),
      language: data.lang});
    fetch(data.positionUrl, {method: "POST", credentials: "same-origin", keepalive: !!final,
      headers: {"Content-Type": "application/json", "X-CSRFToken": data.csrf}, body: body}).catch(function () {});
  }

  // xAPI Video Profile statements.
  var V = "https://w3id.org/xapi/video/", ADL = "http://adlnet.gov/expapi/verbs/", ext = V + "extensions/";
  var sessionId = uuid(), queueKey = "wb-xapi-queue-" + actorName(), sending = false, backoff = 2000, completed = false;
  var threshold = parseFloat(data.threshold || "0.9");
  function actorName() {  // one queue per person, so a shared computer never mixes learners
    try { return JSON.parse(data.actor).account.name; } catch (e) { return "anonymous"; }
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16); crypto.getRandomValues(b); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function queue() { try { return JSON.parse(get(queueKey) || "[]"); } catch (e) { return []; } }
  function statement(verb, result) {
    if (!data.lrsEndpoint) { return; }
    var tracks = media.textTracks, cc = null, ctx = {};
    for (var i = 0; tracks && i < tracks.length; i++) { if (tracks[i].kind === "captions" && tracks[i].mode === "showing") { cc = tracks[i].language; } }
    ctx[ext + "session-id"] = sessionId;
    ctx[ext + "length"] = isFinite(media.duration) ? Math.round(media.duration * 1000) / 1000 : 0;
    ctx[ext + "completion-threshold"] = threshold;
    ctx[ext + "cc-subtitle-enabled"] = !!cc;
    if (cc) { ctx[ext + "cc-subtitle-lang"] = cc; }
    ctx[ext + "speed"] = media.playbackRate + "x";
    // The title is tagged with its own language (the page's, or the one it falls back to), not the recording's.
    var name = {}; name[data.titleLang || data.lang] = data.title || "";
    var s = {id: uuid(), actor: JSON.parse(data.actor), timestamp: new Date().toISOString(),
      verb: {id: verb.indexOf("http") === 0 ? verb : V + "verbs/" + verb, display: {en: verb.split("/").pop()}},
      object: {objectType: "Activity", id: data.activity, definition: {type: V + "activity-type/video", name: name}},
      context: {language: data.lang, extensions: ctx,
        contextActivities: {parent: [{id: data.parent}], category: [{id: V}]}}};
    if (result) { s.result = result; }
    var q = queue(); q.push(s); put(queueKey, JSON.stringify(q.slice(-500)));
  }
  function flush(final) {
    var q = queue();
    if (!q.length || (sending && !final) || !data.lrsEndpoint) { return; }
    sending = true;
    var batch = q.slice(0, 50);
    fetch(data.lrsEndpoint.replace(/\/?$/, "/") + "statements", {method: "POST", keepalive: !!final,
      headers: {"Authorization": data.lrsAuth, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"},
      body: JSON.stringify(batch)})
      .then(function (r) {
        sending = false;
        if (r.ok || (r.status >= 400 && r.status < 500 && r.status !== 429)) {
          var ids = batch.map(function (s) { return s.id; });
          put(queueKey, JSON.stringify(queue().filter(function (s) { return ids.indexOf(s.id) < 0; })));
          backoff = 2000;
          if (queue().length) { flush(); }
        } else { retry(); }
      }, function () { sending = false; retry(); });
  }
  function retry() { setTimeout(flush, backoff); backoff = Math.min(backoff * 2, 60000); }
  function res(extra) {
    var e = {}; e[ext + "time"] = Math.round(media.currentTime * 1000) / 1000;
    Object.keys(extra || {}).forEach(function (k) { e[ext + k] = extra[k]; });
    return {extensions: e};
  }

  var fromTime = 0, initialized = false;
  function init() { if (!initialized) { initialized = true; statement(ADL + "initialized"); flush(); } }
  media.addEventListener("loadedmetadata", init);
  if (media.readyState >= 1) { init(); }
  media.addEventListener("playing", function () { segStart = media.currentTime; statement("played", res()); });
  media.addEventListener("pause", function () {
    closeSegment();
    if (!media.ended) { statement("paused", res({progress: progress(), "played-segments": segText()})); }
    savePosition(false); flush();
  });
  media.addEventListener("seeking", function () { closeSegment(); });
  media.addEventListener("timeupdate", function () {
    sync();
    if (!media.seeking) { fromTime = media.currentTime; }
    if (!completed && data.lrsEndpoint && progress() >= threshold) {
      completed = true;
      var r = res({progress: progress(), "played-segments": segText()});
      r.completion = true;
      var watched = 0; merged().forEach(function (sg) { watched += sg[1] - sg[0]; });
      r.duration = "PT" + watched.toFixed(2) + "S";
      statement(ADL + "completed", r); flush();
    }
    if (Date.now() - lastSaved > 15000) { lastSaved = Date.now(); closeSegment(); if (!media.paused) { segStart = media.currentTime; } savePosition(false); }
  });
  media.addEventListener("seeked", function () {
    var r = res({"time-from": Math.round(fromTime * 1000) / 1000, "time-to": Math.round(media.currentTime * 1000) / 1000});
    delete r.extensions[ext + "time"];
    statement("seeked", r);
    if (!media.paused) { segStart = media.currentTime; }
    fromTime = media.currentTime; sync();
  });
  media.addEventListener("ended", function () { closeSegment(); savePosition(false); flush(); });
  window.addEventListener("online", function () { flush(); });
  window.addEventListener("pagehide", function () {
    closeSegment();
    if (initialized) { statement(ADL + "terminated", res({progress: progress(), "played-segments": segText()})); }
    savePosition(true); flush(true);
  });
  flush();
})();
