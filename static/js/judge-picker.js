/*
 * The admin's judge picker (competitions/judging/judge_picker.py): a search box that asks
 * the server for eligible judges as the organiser types, and the chosen judges as a list
 * with "remove" buttons, kept in step with the hidden <select> the form posts.
 */
(function () {
  "use strict";

  var DELAY = 250;

  function setUp(picker) {
    var select = picker.querySelector("[data-value]");
    var chosen = picker.querySelector("[data-chosen]");
    var search = picker.querySelector("[data-search]");
    var results = picker.querySelector("[data-results]");
    var multiple = picker.dataset.multiple === "1";
    var timer = null;

    function removeButton(id) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-small button-secondary";
      button.dataset.remove = "";
      button.textContent = picker.dataset.removeLabel || "移除";
      button.addEventListener("click", function () {
        remove(id);
      });
      return button;
    }

    function remove(id) {
      var option = select.querySelector('option[value="' + id + '"]');
      var item = chosen.querySelector('li[data-id="' + id + '"]');
      if (option) option.remove();
      if (item) item.remove();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function add(result) {
      if (select.querySelector('option[value="' + result.id + '"]')) return;
      if (!multiple) {
        select.innerHTML = "";
        chosen.innerHTML = "";
      }
      var option = document.createElement("option");
      option.value = result.id;
      option.selected = true;
      option.textContent = result.label;
      select.appendChild(option);
      var item = document.createElement("li");
      item.dataset.id = result.id;
      var label = document.createElement("span");
      label.textContent = result.label;
      item.appendChild(label);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(removeButton(result.id));
      chosen.appendChild(item);
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(list) {
      results.innerHTML = "";
      list.forEach(function (result) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button-small button-secondary";
        button.textContent = "+ " + result.label;
        button.addEventListener("click", function () {
          add(result);
          results.innerHTML = "";
          search.value = "";
          search.focus();
        });
        item.appendChild(button);
        results.appendChild(item);
      });
    }

    function lookUp() {
      var params = new URLSearchParams({ q: search.value, contest: picker.dataset.contest });
      fetch(picker.dataset.searchUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          show(data.results);
        })
        .catch(function () {
          show([]);
        });
    }

    chosen.querySelectorAll("li").forEach(function (item) {
      item.querySelector("[data-remove]").addEventListener("click", function () {
        remove(item.dataset.id);
      });
    });
    search.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, DELAY);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // searching never submits the form
        window.clearTimeout(timer);
        lookUp();
      }
    });
  }

  function setUpAll() {
    document.querySelectorAll("[data-kepu-judge-picker]").forEach(function (picker) {
      if (!picker.dataset.ready) {
        picker.dataset.ready = "1";
        setUp(picker);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
