// Quiz taking, enhanced: autosave each answer as it is chosen (with a fresh client token,
// retried until the server confirms), moving between questions without saving again what the
// server already confirmed, a countdown that submits when time is up, and a confirmation
// before submitting. Without JavaScript the plain form posts do all of this.
(function () {
  "use strict";

  var form = document.querySelector("[data-quiz-form]");
  if (!form) {
    return;
  }
  var status = form.querySelector("[data-save-status]");
  var saveUrl = form.getAttribute("data-save-url");
  var resultUrl = form.getAttribute("data-result-url");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var position = parseInt(form.querySelector("input[name=position]").value, 10);
  var total = parseInt(form.getAttribute("data-total"), 10);
  var pending = null;
  var latest = null;
  // The choice the server holds for this question: what the page was rendered with, then
  // each autosave it confirmed.
  var confirmed = key(Array.prototype.filter.call(
    form.querySelectorAll("input[name=option]"),
    function (input) { return input.defaultChecked; }
  ).map(function (input) { return input.value; }));

  function key(options) {
    return options.slice().sort().join(" ");
  }

  function token() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function show(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function send(body, attempt) {
    return fetch(saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok) {
          if (body.options === latest) {
            confirmed = key(body.options);
          }
          show(form.getAttribute("data-saved-text"));
          markAnswered();
          return true;
        }
        show(data.error || "");
        if (data.finished) {
          window.location.href = resultUrl;
        }
        return false;
      });
    }).catch(function () {
      // Offline or timed out: retry the same save (same token) a little later.
      show(form.getAttribute("data-retry-text"));
      if (attempt < 20) {
        return new Promise(function (resolve) {
          setTimeout(function () { resolve(send(body, attempt + 1)); }, 1500 * (attempt + 1));
        });
      }
      return false;
    });
  }

  function markAnswered() {
    var current = form.querySelector(".quiz-map__item[aria-current=step]");
    if (current) {
      current.classList.add("quiz-map__item--answered");
    }
    var progress = document.querySelector(".quiz-bar progress");
    if (progress) {
      progress.value = form.querySelectorAll(".quiz-map__item--answered").length;
    }
  }

  function selected() {
    return Array.prototype.map.call(
      form.querySelectorAll("input[name=option]:checked"),
      function (input) { return input.value; }
    );
  }

  form.addEventListener("change", function (event) {
    if (event.target.name !== "option") {
      return;
    }
    var options = selected();
    if (!options.length) {
      return;
    }
    show(form.getAttribute("data-saving-text"));
    var body = { position: position, options: options, token: token() };
    latest = options;
    pending = (pending || Promise.resolve()).then(function () { return send(body, 0); });
  });

  function target(action) {
    var to = position;
    if (action === "next") {
      to = position + 1;
    } else if (action === "prev") {
      to = position - 1;
    } else if (action.indexOf("goto-") === 0) {
      to = parseInt(action.slice(5), 10);
    }
    return to >= 1 && to <= total ? to : null;
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (!submitter) {
      return; // browsers without SubmitEvent.submitter: the plain form post does it all
    }
    var action = submitter.value;
    var saved = key(selected()) === confirmed;
    if (action === "submit") {
      var question = submitter.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
      } else if (saved) {
        // Already saved: submit without posting the choice a second time.
        Array.prototype.forEach.call(form.querySelectorAll("input[name=option]"), function (input) {
          input.disabled = true;
        });
      }
      return;
    }
    var to = target(action);
    if (saved && to !== null) {
      // The server holds this choice already: just open the other question.
      event.preventDefault();
      window.location.href = window.location.pathname + "?q=" + to;
    }
  });

  var clock = document.querySelector("[data-quiz-clock]");
  if (clock) {
    var left = parseInt(clock.getAttribute("data-seconds-left"), 10);
    var text = clock.querySelector("[data-clock-text]");
    var ends = Date.now() + left * 1000;
    var timer = setInterval(function () {
      var seconds = Math.max(0, Math.round((ends - Date.now()) / 1000));
      var minutes = Math.floor(seconds / 60);
      text.textContent = minutes + ":" + ("0" + (seconds % 60)).slice(-2);
      if (seconds <= 60) {
        clock.classList.add("quiz-bar--urgent");
      }
      if (seconds === 0) {
        clearInterval(timer);
        (pending || Promise.resolve()).then(function () {
          window.location.href = resultUrl;
        });
      }
    }, 1000);
  }
})();
