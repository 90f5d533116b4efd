/* webinars times: a reader without a zone of their own reads UTC (the server cannot know their zone);
   show each moment in the browser's zone instead, keeping UTC in the title. The run choices of the
   registration form carry the same moments (data-utc). Without this script the UTC text stays. */
(function () {
  "use strict";
  var doc = document, lang = doc.documentElement.lang || "en";

  function inLocalZone(el, iso) {
    var d = new Date(iso);
    if (isNaN(d)) { return; }
    try {
      el.title = el.textContent;
      el.textContent = new Intl.DateTimeFormat(lang, {year: "numeric", month: "short", day: "numeric",
        hour: "numeric", minute: "2-digit", timeZoneName: "short"}).format(d);
    } catch (e) { /* old browser: keep UTC */ }
  }
  Array.prototype.forEach.call(doc.querySelectorAll("time.wb-utc[datetime]"), function (el) {
    inLocalZone(el, el.getAttribute("datetime"));
  });
  Array.prototype.forEach.call(doc.querySelectorAll("option[data-utc]"), function (el) {
    inLocalZone(el, el.getAttribute("data-utc"));
  });
}());
