// Search suggestions: turns every input[data-search-suggest] into an accessible combobox
// (WAI-ARIA 1.2 list autocomplete). Without JavaScript the search form works as it is.
// On the results page, a click beacon (below).
(function () {
  "use strict";

  var DELAY_MS = 150;
  var counter = 0;

  function enhance(input) {
    var url = input.getAttribute("data-search-suggest");
    if (!url || !window.fetch) { return; }
    counter += 1;
    var listId = "search-suggest-" + counter;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("placeholder") || "");
    list.hidden = true;
    input.parentNode.classList.add("search-suggest-host");
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var timer = null;
    var controller = null;
    var active = -1;
    var items = [];

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(suggestions) {
      close();
      if (!suggestions.length) { return; }
      suggestions.forEach(function (suggestion, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.dataset.url = suggestion.url;
        var link = document.createElement("a");
        link.href = suggestion.url;
        link.tabIndex = -1;
        link.textContent = suggestion.title;
        item.appendChild(link);
        // Pointer down would blur the input (and close the list) before the click lands.
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        list.appendChild(item);
        items.push(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      var separator = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + separator + "q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          if (input.value.trim() === q) { show(data.suggestions || []); }
        })
        .catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden || !items.length) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.assign(items[active].dataset.url);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-search-suggest]"), enhance);

  // Results page: the filters are folded on phones, so the first results show on the first
  // screen; where there is room beside or above the results they start open.
  var filters = document.querySelector("details[data-search-filters]");
  if (filters && window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
    filters.open = true;
  }

  // Results page: tells the server which result was opened (the query, its position and the
  // answering backend; nothing about the reader), so editors see searches whose first
  // result nobody opens. The beacon never delays the link.
  var results = document.querySelector("ol[data-search-click]");
  if (results && navigator.sendBeacon && window.FormData) {
    results.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href]") : null;
      var item = link ? link.closest("li[data-position]") : null;
      if (!item) { return; }
      var data = new FormData();
      data.append("q", results.getAttribute("data-query") || "");
      data.append("position", item.getAttribute("data-position") || "");
      data.append("backend", results.getAttribute("data-backend") || "");
      navigator.sendBeacon(results.getAttribute("data-search-click"), data);
    });
  }
})();
