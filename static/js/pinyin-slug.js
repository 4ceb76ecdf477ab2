/*
 * The admin's slug field follows the title in pinyin (content/slugs.py).
 *
 * Wagtail's title field sends `w-sync:check` (on focus) and `w-sync:apply` (as the title is
 * typed) to the slug field. For slug inputs marked `data-kepu-pinyin-slug` this script
 * answers them instead of Wagtail's transliteration: the slug keeps following the title
 * while it is empty or still holds what this script put there, and stops as soon as the
 * editor types a slug of their own.
 */
(function () {
  "use strict";

  var SELECTOR = "[data-kepu-pinyin-slug]";
  var DELAY = 250;

  function suggestionUrl(title) {
    var params = new URLSearchParams({ title: title });
    var path = window.location.pathname;
    var created = path.match(/\/pages\/add\/[^/]+\/[^/]+\/(\d+)\//);
    var edited = path.match(/\/pages\/(\d+)\/edit\//);
    if (created) {
      params.set("parent", created[1]);
    } else if (edited) {
      params.set("page", edited[1]);
    }
    var admin = path.slice(0, path.indexOf("/pages/") + 1) || "/admin/";
    return admin + "slug-suggestion/?" + params.toString();
  }

  function following(input) {
    return !input.value || input.value === input.dataset.kepuPinyinSlugSet;
  }

  document.addEventListener(
    "w-sync:check",
    function (event) {
      if (event.target.matches(SELECTOR) && !following(event.target)) {
        event.preventDefault();
      }
    },
    true
  );

  document.addEventListener(
    "w-sync:apply",
    function (event) {
      var input = event.target;
      if (!input.matches(SELECTOR)) {
        return;
      }
      event.preventDefault();
      var title = (event.detail && event.detail.value) || "";
      window.clearTimeout(input.kepuPinyinSlugTimer);
      input.kepuPinyinSlugTimer = window.setTimeout(function () {
        fetch(suggestionUrl(title), { credentials: "same-origin" })
          .then(function (response) {
            return response.ok ? response.json() : null;
          })
          .then(function (data) {
            if (!data || !following(input)) {
              return;
            }
            input.value = data.slug;
            input.dataset.kepuPinyinSlugSet = data.slug;
            input.dispatchEvent(new Event("change", { bubbles: true }));
          })
          .catch(function () {
            /* Offline: the slug is written in pinyin when the page is saved. */
          });
      }, DELAY);
    },
    true
  );
})();
