// The attempt page's countdown. The server fixed the deadline and enforces
// it (with a short grace for this very request); the page only shows the
// seconds left, counted from the page's own load so that a wrong clock on
// the computer changes nothing, and submits the answers when they run out.
(function () {
  "use strict";

  function format(seconds) {
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = seconds % 60;
    var mm = hours ? String(minutes).padStart(2, "0") : String(minutes);
    return (hours ? hours + ":" : "") + mm + ":" + String(rest).padStart(2, "0");
  }

  function start() {
    var clock = document.querySelector("[data-seconds-left]");
    var form = document.getElementById("attempt-form");
    if (!clock || !form) return;
    var display = clock.querySelector("[data-countdown]");
    var announce = document.querySelector("[data-announce]");
    var total = parseInt(clock.getAttribute("data-seconds-left"), 10);
    var loaded = performance.now();
    var sent = false;
    var said = {};

    function say(left) {
      // A screen reader hears the time at a few moments, not every second.
      [300, 60, 10].forEach(function (mark) {
        if (left <= mark && !said[mark] && announce) {
          said[mark] = true;
          announce.textContent = clock.textContent.replace(/\s+/g, " ").trim();
        }
      });
    }

    function tick() {
      var left = Math.max(0, total - Math.floor((performance.now() - loaded) / 1000));
      display.textContent = format(left);
      clock.classList.toggle("low", left <= 60);
      say(left);
      if (left === 0) {
        if (!sent) {
          sent = true;
          form.querySelector("[name=timeout]").value = "1";
          form.setAttribute("action", form.getAttribute("data-submit-url"));
          form.submit();
        }
        return;
      }
      window.setTimeout(tick, 250);
    }

    tick();
  }

  // Submitting by hand asks first when questions are still unanswered: one
  // click past "Next" must not end an exam (the timeout submit never asks).
  function unanswered(form) {
    var count = parseInt(form.getAttribute("data-unanswered-elsewhere") || "0", 10);
    form.querySelectorAll("fieldset[data-question]").forEach(function (fieldset) {
      var chosen = fieldset.querySelector("input:checked");
      var typed = Array.prototype.some.call(
        fieldset.querySelectorAll("input[type=text], textarea"),
        function (field) { return field.value.trim() !== ""; }
      );
      if (!chosen && !typed) count += 1;
    });
    return count;
  }

  function guardSubmit() {
    var form = document.getElementById("attempt-form");
    if (!form) return;
    form.querySelectorAll("[data-submit]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        var left = unanswered(form);
        var text = form.getAttribute("data-confirm") || "";
        if (left > 0 && text && !window.confirm(text.replace("%(count)s", String(left)))) {
          event.preventDefault();
        }
      });
    });
  }

  function ready() {
    start();
    guardSubmit();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

// The share page's "Copy" button: the link's field is selected either way,
// for the browsers that do not let a page write to the clipboard.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    field.select();
    if (navigator.clipboard) {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.getAttribute("data-done");
      }, function () {});
    }
  });
})();
