// Progressive enhancement for the site shell. Everything here also works without JavaScript.
(function () {
  "use strict";

  // Large-text toggle: switch in place instead of reloading; the form posts without JS.
  var form = document.querySelector("form[data-text-size]");
  if (form && window.fetch) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var large = data.get("large") === "1";
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin", redirect: "manual" })
        .then(function () {
          document.documentElement.classList.toggle("large-text", large);
          form.querySelector("input[name=large]").value = large ? "0" : "1";
          var button = form.querySelector("button");
          button.setAttribute("aria-pressed", large ? "true" : "false");
          button.textContent = large ? button.dataset.labelStandard : button.dataset.labelLarge;
        })
        .catch(function () { form.submit(); });
    });
  }
})();
