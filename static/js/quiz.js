// Taking a quiz with the whole paper in one page (docs/quizzes.md, "The attempt protocol").
//
// The page holds every question; this script shows one at a time and moves between them
// without asking the server. Every change is kept in local storage at once and sent in a
// batch once the answers have rested a few seconds (state.saveDelaySeconds; a debounce, so a
// phone answering quickly sends them all with the submit), but no later than
// state.saveMaxSeconds after the oldest unsent change, at once when the page is hidden
// (sendBeacon), and with the submit. Each batch carries a fresh token and each answer the
// client's sequence number, so a batch that arrives late or twice never overwrites a newer
// answer. After a reload or a dropped connection the unsent answers are replayed. The status
// line always says whether everything is saved. Fair play: leaving the page is counted and
// reported when the quiz asks for it (after a warning on the start page), and the quiz may
// be submitted after too many leaves or too long idle.
//
// The phone also remembers which quizzes have an attempt open here, and until when
// ("kepu-quiz-open": quiz id -> {a: attempt, d: deadline in ms}), so the cached quiz page's
// button can say "continue" (quiz-start.js); the start itself still decides.
//
// On the result page it forgets the attempt's local answers. Without JavaScript the paper is
// a plain form and the start leads to one question per screen instead. The start form of the
// quiz page and the start page is quiz-start.js's: those pages need nothing else from here.
(function () {
  "use strict";

  var replace = document.querySelector("[data-replace-url]");
  if (replace && window.history && window.history.replaceState) {
    // The page answered a form post: reloading it must not post again.
    window.history.replaceState(null, "", replace.getAttribute("data-replace-url") + window.location.hash);
  }

  var result = document.querySelector("[data-quiz-result]");
  if (result) {
    var finished = result.getAttribute("data-quiz-result");
    forget("kepu-quiz:" + finished);
    rememberOpen(function (open) {
      Object.keys(open).forEach(function (quiz) {
        if (open[quiz].a === finished) {
          delete open[quiz];
        }
      });
    });
  }

  var form = document.querySelector("form[data-quiz-paper]");
  var stateNode = document.getElementById("quiz-state");
  if (!form || !stateNode) {
    return;
  }
  var state = JSON.parse(stateNode.textContent);
  var storeKey = "kepu-quiz:" + state.attempt;
  rememberOpen(function (open) {
    open[form.getAttribute("data-quiz")] = { a: state.attempt, d: Date.now() + state.secondsLeft * 1000 };
  });
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var items = Array.prototype.slice.call(form.querySelectorAll(".quiz-paper__item"));
  var total = items.length;
  var status = form.querySelector("[data-save-status]");
  var text = function (name) { return form.getAttribute("data-" + name + "-text") || ""; };

  // What the server holds: the sequence of each position's answer, and the leaves it knows.
  var confirmed = {};
  Object.keys(state.sequences).forEach(function (position) {
    confirmed[position] = state.sequences[position];
  });
  var confirmedLeaves = state.leaves;
  var local = load() || { seq: 0, answers: {}, leaves: 0, hiddenAt: 0 };
  local.seq = Math.max(local.seq || 0, maxOf(confirmed));
  local.leaves = Math.max(local.leaves || 0, state.leaves);

  var timer = null;
  var unsentSince = 0;  // when the oldest change not yet on its way was made
  var sending = false;
  var inflight = null;  // the save on its way, if any
  var failures = 0;
  var lastBatch = null;
  var navigating = false;
  var stopped = false;
  var current = 1;
  var lastActivity = Date.now();

  // --- local storage ---------------------------------------------------------------------

  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(storeKey));
    } catch (error) {
      return null;
    }
  }

  function persist() {
    try {
      window.localStorage.setItem(storeKey, JSON.stringify(local));
    } catch (error) {
      // Private mode or a full storage: the answers still go to the server.
    }
  }

  function forget(key) {
    try {
      window.localStorage.removeItem(key);
    } catch (error) {
      // Nothing kept.
    }
  }

  // The open attempts of this phone (see the top): `change` edits the map; past deadlines go.
  function rememberOpen(change) {
    try {
      var open = JSON.parse(window.localStorage.getItem("kepu-quiz-open")) || {};
      change(open);
      Object.keys(open).forEach(function (quiz) {
        if (!(open[quiz].d > Date.now())) {
          delete open[quiz];
        }
      });
      if (Object.keys(open).length) {
        window.localStorage.setItem("kepu-quiz-open", JSON.stringify(open));
      } else {
        window.localStorage.removeItem("kepu-quiz-open"); // nothing open: nothing kept
      }
    } catch (error) {
      // Private mode or a full storage: the quiz page says "start", the start still resumes.
    }
  }

  function maxOf(map) {
    return Object.keys(map).reduce(function (top, key) { return Math.max(top, map[key]); }, 0);
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) { return values[name]; });
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

  // --- answers ---------------------------------------------------------------------------

  function inputs(position) {
    return form.querySelectorAll("input[name=q" + position + "]");
  }

  function chosen(position) {
    return Array.prototype.filter.call(inputs(position), function (input) {
      return input.checked;
    }).map(function (input) { return input.value; });
  }

  function pending() {
    var answers = [];
    Object.keys(local.answers).forEach(function (position) {
      var answer = local.answers[position];
      if (answer.s > (confirmed[position] || 0)) {
        answers.push({ q: parseInt(position, 10), s: answer.s, o: answer.o });
      }
    });
    return answers;
  }

  function unsaved() {
    return pending().length > 0 || (state.countLeaves && local.leaves > confirmedLeaves);
  }

  // Answers kept here but not yet on the server (a reload, a dropped connection) win over
  // what the page was rendered with; answers the server holds in a newer version are dropped.
  Object.keys(local.answers).forEach(function (position) {
    var answer = local.answers[position];
    if (answer.s <= (confirmed[position] || 0)) {
      delete local.answers[position];
      return;
    }
    Array.prototype.forEach.call(inputs(position), function (input) {
      input.checked = answer.o.indexOf(input.value) !== -1;
    });
  });

  form.addEventListener("change", function (event) {
    var item = event.target.closest ? event.target.closest(".quiz-paper__item") : null;
    if (!item || stopped) {
      return;
    }
    var position = item.getAttribute("data-position");
    local.seq += 1;
    local.answers[position] = { s: local.seq, o: chosen(position) };
    persist();
    refresh();
    // Debounced: each change restarts the wait, up to saveMaxSeconds after the oldest unsent
    // one. A retry's back-off after a failure is left as it is.
    var now = Date.now();
    unsentSince = unsentSince || now;
    var latest = unsentSince + state.saveMaxSeconds * 1000 - now;
    schedule(Math.max(0, Math.min(state.saveDelaySeconds * 1000, latest)), failures === 0);
  });

  // --- sending ---------------------------------------------------------------------------

  function schedule(delay, restart) {
    // Once the paper is being submitted, the submit carries whatever is unsaved.
    if (stopped || navigating || (timer !== null && !restart)) {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      timer = null;
      send();
    }, delay);
  }

  function batchBody(answers) {
    var key = JSON.stringify(answers) + "|" + local.leaves;
    // Sending the same answers again (a retry) reuses the token: the server recognises it.
    if (!lastBatch || lastBatch.key !== key) {
      lastBatch = { key: key, token: token() };
    }
    var batch = { token: lastBatch.token, answers: answers };
    if (state.countLeaves) {
      batch.leaves = local.leaves;
    }
    return JSON.stringify(batch);
  }

  function encode(batch) {
    // The attempt token lets the server skip the session and account look-ups (a beacon
    // cannot send headers); the CSRF token serves when the attempt token has expired.
    return "csrfmiddlewaretoken=" + encodeURIComponent(csrf) + "&batch=" + encodeURIComponent(batch) +
      "&attempt_token=" + encodeURIComponent(state.token || "");
  }

  function send() {
    if (sending || stopped || navigating || !unsaved()) {
      refresh();
      return;
    }
    sending = true;
    unsentSince = 0;
    refresh();
    var request = new XMLHttpRequest();
    inflight = request;
    request.open("POST", state.saveUrl);
    request.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
    request.setRequestHeader("X-CSRFToken", csrf);
    request.setRequestHeader("X-Quiz-Token", state.token || "");
    request.timeout = 15000;
    request.onload = function () {
      sending = false;
      inflight = null;
      var data = {};
      try {
        data = JSON.parse(request.responseText);
      } catch (error) {
        data = {};
      }
      if (request.status === 200) {
        failures = 0;
        Object.keys(data.sequences || {}).forEach(function (position) {
          confirmed[position] = Math.max(confirmed[position] || 0, data.sequences[position]);
        });
        confirmedLeaves = Math.max(confirmedLeaves, data.leaves || 0);
        persist();
        if (data.finished) {
          finish(data.resultUrl);
          return;
        }
        if (unsaved()) {
          schedule(0);
        }
      } else if (request.status === 409 && data.finished) {
        finish(data.resultUrl);
        return;
      } else if (request.status === 409 && data.otherDevice) {
        stop(data.error || text("other-device"));
        return;
      } else if (request.status === 403 && data.accountBlocked) {
        // The account may no longer take part: nothing more is saved from here.
        stop(data.error);
        return;
      } else if (request.status === 400 || request.status === 404) {
        // Refused for good: say why, keep the answers here for the submit.
        show(data.error || text("offline"));
        return;
      } else {
        retry();
      }
      refresh();
    };
    request.onerror = request.ontimeout = function () {
      sending = false;
      inflight = null;
      retry();
      refresh();
    };
    request.send(encode(batchBody(pending())));
  }

  function retry() {
    failures += 1;
    schedule(Math.min(30000, 2000 * Math.pow(2, failures - 1)));
  }

  function beacon() {
    // Unsent answers only (leaves are counted and sent when the page is shown again), and
    // not while submitting: the submit itself carries what is unsaved.
    if (!pending().length || stopped || navigating || !navigator.sendBeacon) {
      return;
    }
    var body = new Blob([encode(batchBody(pending()))], {
      type: "application/x-www-form-urlencoded"
    });
    navigator.sendBeacon(state.saveUrl, body);
  }

  // --- what the page shows ---------------------------------------------------------------

  function show(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function refresh() {
    var answered = 0;
    items.forEach(function (item) {
      var position = item.getAttribute("data-position");
      var done = chosen(position).length > 0;
      answered += done ? 1 : 0;
      var link = form.querySelector(".quiz-map__item[data-position='" + position + "']");
      if (link) {
        link.classList.toggle("quiz-map__item--answered", done);
      }
    });
    var progress = document.querySelector(".quiz-bar progress");
    if (progress) {
      progress.value = answered;
    }
    var progressText = document.querySelector("[data-progress-text]");
    if (progressText) {
      progressText.textContent = format(text("question"), { n: current, total: total }) + " · " +
        format(text("answered"), { n: answered, total: total });
    }
    if (stopped) {
      return;
    }
    if (!unsaved()) {
      show(answered || maxOf(confirmed) ? text("saved") : "");
    } else if (failures > 0) {
      show(text("offline"));
    } else {
      show(sending ? text("saving") : text("unsaved"));
    }
  }

  function stop(message) {
    stopped = true;
    show(message);
    Array.prototype.forEach.call(form.querySelectorAll("input, button"), function (input) {
      input.disabled = true;
    });
  }

  // --- moving between questions ----------------------------------------------------------

  function go(position, focus) {
    current = Math.min(Math.max(position, 1), total);
    items.forEach(function (item) {
      item.classList.toggle("is-current", parseInt(item.getAttribute("data-position"), 10) === current);
    });
    Array.prototype.forEach.call(form.querySelectorAll(".quiz-map__item"), function (link) {
      if (parseInt(link.getAttribute("data-position"), 10) === current) {
        link.setAttribute("aria-current", "step");
      } else {
        link.removeAttribute("aria-current");
      }
    });
    form.querySelector("[data-go=prev]").disabled = current === 1;
    form.querySelector("[data-go=next]").disabled = current === total;
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#q" + current);
    }
    if (focus) {
      var legend = items[current - 1].querySelector("legend");
      legend.setAttribute("tabindex", "-1");
      legend.focus();
    }
    refresh();
  }

  form.classList.add("quiz-paper--js");
  form.querySelector("[data-quiz-nav]").hidden = false;
  form.querySelector("[data-go=prev]").addEventListener("click", function () { go(current - 1, true); });
  form.querySelector("[data-go=next]").addEventListener("click", function () { go(current + 1, true); });
  form.querySelector(".quiz-map").addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".quiz-map__item") : null;
    if (link) {
      event.preventDefault();
      go(parseInt(link.getAttribute("data-position"), 10), true);
    }
  });
  var fromHash = /^#q(\d+)$/.exec(window.location.hash);
  var firstOpen = items.filter(function (item) {
    return chosen(item.getAttribute("data-position")).length === 0;
  })[0];
  go(fromHash ? parseInt(fromHash[1], 10) : firstOpen ? parseInt(firstOpen.getAttribute("data-position"), 10) : 1, false);

  // --- submitting ------------------------------------------------------------------------

  function submit(reason) {
    if (navigating) {
      return;
    }
    if (reason) {
      form.querySelector("input[name=auto]").value = reason;
    }
    prepare();
    form.submit();
  }

  function prepare() {
    navigating = true;
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (inflight) {
      // Its answers are unconfirmed, so the submit carries them; whatever the server
      // answers it (saved, or "finished" if it takes the submit first) no longer matters.
      inflight.onload = inflight.onerror = inflight.ontimeout = null;
      inflight.abort();
      inflight = null;
      sending = false;
    }
    // The submit carries what is not saved yet; the choices themselves are not posted again.
    form.querySelector("input[name=batch]").value = batchBody(pending());
    Array.prototype.forEach.call(form.querySelectorAll(".quiz-options input"), function (input) {
      input.disabled = true;
    });
    form.querySelector(".quiz-submit").disabled = true;
  }

  function finish(url) {
    navigating = true;
    forget(storeKey);
    window.location.href = url || state.resultUrl;
  }

  form.addEventListener("submit", function (event) {
    if (navigating) {
      event.preventDefault();
      return;
    }
    var open = items.filter(function (item) {
      return chosen(item.getAttribute("data-position")).length === 0;
    }).length;
    var question = open ? format(text("unanswered"), { n: open }) :
      form.querySelector(".quiz-submit").getAttribute("data-confirm");
    if (!window.confirm(question)) {
      event.preventDefault();
      return;
    }
    prepare();
  });

  // --- leaving the page, idling ----------------------------------------------------------

  function countLeave() {
    local.leaves += 1;
    local.hiddenAt = 0;
    persist();
    var line = document.querySelector("[data-leave-count]");
    var message = state.maxLeaves ?
      format(text("leave-limit"), { n: local.leaves, max: state.maxLeaves }) :
      format(text("leave"), { n: local.leaves });
    if (line) {
      line.textContent = message;
    }
    if (state.maxLeaves && local.leaves >= state.maxLeaves) {
      submit("page_leaves");
    } else {
      window.alert(message);
      send();
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      if (!navigating && state.countLeaves) {
        local.hiddenAt = Date.now();
        persist();
      }
      beacon();
    } else if (state.countLeaves && local.hiddenAt && !navigating) {
      countLeave();
    }
  });
  window.addEventListener("pagehide", beacon);

  if (state.countLeaves && local.hiddenAt) {
    // The page was closed or reloaded while away: a quick reload does not count.
    if (Date.now() - local.hiddenAt > 3000) {
      countLeave();
    } else {
      local.hiddenAt = 0;
      persist();
    }
  }

  ["pointerdown", "keydown", "touchstart", "scroll", "change"].forEach(function (name) {
    window.addEventListener(name, function () { lastActivity = Date.now(); }, { passive: true });
  });

  // --- the clock -------------------------------------------------------------------------

  var clock = document.querySelector("[data-quiz-clock]");
  var clockText = clock.querySelector("[data-clock-text]");
  var ends = Date.now() + state.secondsLeft * 1000;
  var warned = false;
  var tick = window.setInterval(function () {
    var seconds = Math.max(0, Math.round((ends - Date.now()) / 1000));
    clockText.textContent = Math.floor(seconds / 60) + ":" + ("0" + (seconds % 60)).slice(-2);
    if (seconds <= 60) {
      clock.classList.add("quiz-bar--urgent");
    }
    if (seconds === 0) {
      window.clearInterval(tick);
      submit("");
      return;
    }
    if (state.idleSeconds && !stopped) {
      var idle = (Date.now() - lastActivity) / 1000;
      if (idle >= state.idleSeconds) {
        window.clearInterval(tick);
        submit("idle");
      } else if (idle >= state.idleSeconds - 30 && !warned) {
        warned = true;
        show(text("idle"));
      } else if (idle < state.idleSeconds - 30) {
        warned = false;
      }
    }
  }, 1000);

  if (unsaved()) {
    send(); // replay what a reload or a dropped connection left unsent
  }
  refresh();
})();
