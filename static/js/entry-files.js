// The entry page's file list (templates/submissions/entry_edit.html). While a file is being
// checked, fetch the list again every few seconds and show the verdicts in place, so that
// what the author is typing in the entry form stays. Without JavaScript the page refreshes
// itself instead (a <noscript> meta refresh) and has a "刷新" link.
(function () {
  "use strict";

  var section = document.querySelector("[data-entry-files]");
  if (!section || !window.fetch) return;
  var body = section.querySelector("[data-entry-files-body]");
  var status = section.querySelector("[data-entry-files-status]");
  var delay = 1500;

  function checking() {
    return body.querySelector("[data-checking]") !== null;
  }

  function later() {
    if (!checking()) return;
    window.setTimeout(refresh, delay);
    delay = Math.min(delay * 1.5, 10000);
  }

  function refresh() {
    // Someone choosing a replacement file keeps their form until they are done.
    if (body.querySelector("details[open]")) { later(); return; }
    fetch(section.getAttribute("data-entry-files"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        body.innerHTML = html;
        if (!checking() && status) status.textContent = status.getAttribute("data-done");
        later();
      })
      .catch(later);
  }

  later();
})();
