// inbox.js: the finance inbox reloads itself when the claims it lists change. Every 10 s it
// asks /ui/claims/version (a count and the latest update of the claims the filter matches)
// and reloads the page when the answer differs from the one the page was built with. It
// does not reload while the user has ticked a box or is typing a note, so no work is lost.
// Without JavaScript the page works the same; it just does not refresh itself.
(function () {
  "use strict";
  var form = document.getElementById("inbox");
  if (!form || !window.fetch) { return; }
  var seen = form.getAttribute("data-version");
  var params = new URLSearchParams(window.location.search);
  var q = new URLSearchParams();
  ["status", "program", "escalated"].forEach(function (k) {
    if (params.get(k)) { q.set(k, params.get(k)); }
  });
  function busy() {
    if (form.querySelector("input[type=checkbox]:checked")) { return true; }
    var a = document.activeElement;
    return a && (a.tagName === "INPUT" || a.tagName === "TEXTAREA" || a.tagName === "SELECT");
  }
  function poll() {
    if (document.hidden || busy()) { return; }
    fetch("/ui/claims/version?" + q.toString(), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (v) {
        if (v && seen && v !== seen) { window.location.reload(); }
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }
  window.setInterval(poll, 10000);
})();
