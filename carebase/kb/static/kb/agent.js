// The "Suggested articles" card beside a conversation (kb/agent/_panel.html):
// "Insert link" and "Insert text" put an article's link, or its summary and
// link, into the reply being written, at the cursor, on a line of its own.
// Delegated from the document, so that the buttons of a list that htmx
// swapped in after a search work too.
(function () {
  "use strict";

  function insert(text) {
    var box = document.querySelector("#composer textarea[name=body]");
    if (!box) return false;
    var start = box.selectionStart, end = box.selectionEnd;
    var before = box.value.slice(0, start);
    if (before && before.slice(-1) !== "\n") text = "\n" + text;
    box.setRangeText(text, start, end, "end");
    box.focus();
    box.dispatchEvent(new Event("input", { bubbles: true }));
    return true;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-kb-insert]");
    if (!button) return;
    event.preventDefault();
    var card = document.getElementById("kb-suggestions");
    var status = document.getElementById("kb-status");
    var done = insert(button.dataset.kbInsert);
    if (card && status) status.textContent = done ? card.dataset.inserted : card.dataset.noComposer;
  });
})();
