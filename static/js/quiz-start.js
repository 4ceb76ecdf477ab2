// The start form of a quiz (the quiz page and the start page; docs/quizzes.md): marks it so
// the server answers with the whole paper for quiz.js. The quiz page is cached for everyone
// and carries no CSRF token: the browser's CSRF cookie gives it (the page cache sets one on a
// first visit), and the form replaces the link to the start page. Without the cookie (cookies
// refused) the link stays; without JavaScript the start leads to one question per screen.
// While this phone has an attempt of the quiz open (remembered by quiz.js until its deadline)
// the button says "continue".
(function () {
  "use strict";

  var start = document.querySelector("form[data-quiz-start]");
  if (!start) {
    return;
  }
  start.querySelector("input[name=js]").value = "1";
  var cookieName = start.getAttribute("data-csrf-cookie");
  if (!cookieName) {
    return; // the start page: its form has its own token
  }
  var token = "";
  document.cookie.split(";").forEach(function (pair) {
    var parts = pair.trim().split("=");
    if (parts[0] === cookieName) {
      token = parts.slice(1).join("=");
    }
  });
  if (token) {
    start.querySelector("input[name=csrfmiddlewaretoken]").value = token;
    try {
      // An attempt this phone has open (quiz.js remembers it): the start resumes it.
      var open = JSON.parse(window.localStorage.getItem("kepu-quiz-open"))[start.getAttribute("data-quiz")];
      if (open.d > Date.now()) {
        start.querySelector("button").textContent = start.getAttribute("data-continue-text");
      }
    } catch (error) {
      // None remembered (or no storage): the button says "start".
    }
    var link = document.querySelector("[data-quiz-start-link]");
    if (link) {
      link.hidden = true;
    }
    start.hidden = false;
  }
})();
