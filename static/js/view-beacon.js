// Counts one view of the current page: a beacon sent once per page load, so views of
// pages served from the full-page cache are counted too. The address comes from the
// script tag's data-view-beacon attribute (templates/content/includes/view_beacon.html).
(function () {
  "use strict";

  var script = document.querySelector("script[data-view-beacon]");
  if (!script || script.hasAttribute("data-view-beacon-sent")) {
    return;
  }
  script.setAttribute("data-view-beacon-sent", "");
  var url = script.getAttribute("data-view-beacon");

  function send() {
    if (navigator.sendBeacon && navigator.sendBeacon(url)) {
      return;
    }
    if (window.fetch) {
      fetch(url, { method: "POST", credentials: "omit", keepalive: true }).catch(function () {});
    }
  }

  // A page the browser prerenders is not a view until the reader actually opens it.
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
})();
