// carebase: the little JavaScript every page needs. htmx does the rest.
(function () {
  "use strict";

  // Live updates: one WebSocket per page, reconnecting with backoff.
  function connectLive() {
    var path = document.body.dataset.liveUrl;
    if (!path || !("WebSocket" in window)) return;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var delay = 1000;
    var pingTimer = null;
    var socket = null;
    // Pages send events up the socket (typing, viewing) with carebaseLive.send;
    // false when the socket is not open yet (the page may try again later).
    window.carebaseLive = {
      send: function (message) {
        if (!socket || socket.readyState !== 1) return false;
        socket.send(JSON.stringify(message));
        return true;
      }
    };
    function open() {
      socket = new WebSocket(scheme + location.host + path);
      socket.onopen = function () {
        delay = 1000;
        document.body.dataset.live = "connected";
        pingTimer = setInterval(function () {
          socket.send(JSON.stringify({ event: "ping" }));
        }, 25000);
      };
      socket.onmessage = function (message) {
        var data = JSON.parse(message.data);
        document.body.dispatchEvent(new CustomEvent("live:" + data.event, { detail: data.payload }));
        if (data.payload && data.payload.toast) showToast(data.payload.toast);
      };
      socket.onclose = function () {
        document.body.dataset.live = "disconnected";
        clearInterval(pingTimer);
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 30000);
      };
    }
    open();
  }

  function showToast(text) {
    var box = document.getElementById("live-toasts");
    if (!box) return;
    var toast = document.createElement("div");
    toast.className = "toast";
    toast.textContent = text;
    box.appendChild(toast);
    setTimeout(function () { toast.remove(); }, 6000);
  }

  // Ctrl+Enter (Cmd+Enter on a Mac) in a text box sends its form.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    var target = event.target;
    if (target && target.tagName === "TEXTAREA" && target.form) {
      event.preventDefault();
      target.form.requestSubmit();
    }
  });

  document.addEventListener("DOMContentLoaded", connectLive);
})();
