// Public voting, enhanced: the vote form posts with fetch and the count updates in place.
// Without JavaScript the form posts and the page reloads with the same result.
(function () {
  "use strict";

  var form = document.querySelector("[data-vote-form]");
  if (!form || !window.fetch) {
    return;
  }
  var count = document.querySelector("[data-vote-count]");
  var status = document.querySelector("[data-vote-status]");

  // A refused captcha comes back with a fresh question: show it in place, so the voter
  // stays on the page with their choice and only types the new answer.
  function askAgain(captcha) {
    var answer = form.querySelector("[name=captcha]");
    var token = form.querySelector("[name=captcha_token]");
    if (!answer || !token) {
      window.location.reload();
      return;
    }
    form.querySelector("label[for='" + answer.id + "']").textContent = captcha.prompt;
    token.value = captcha.token;
    answer.value = "";
    answer.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { status: response.status, data: data };
        });
      })
      .then(function (result) {
        var data = result.data;
        status.textContent = data.message || "";
        if (typeof data.count === "number") {
          count.textContent = data.count;
        }
        if (data.ok) {
          form.hidden = true;
          return;
        }
        if (data.captcha) {
          askAgain(data.captcha);
        }
        button.disabled = false;
      })
      .catch(function () {
        // A dropped connection: fall back to the plain form post.
        form.submit();
      });
  });
})();
