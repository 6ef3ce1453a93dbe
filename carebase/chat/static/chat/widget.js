// carebase chat widget: <script src="https://carebase.example/chat/widget.js" data-key="KEY" async>
// No framework; everything lives in a shadow root, so the host page's styles
// and ours never meet. What the visitor types waits in localStorage until the
// server acknowledges it, so a lost connection or a reload loses nothing.
(function () {
  "use strict";
  var STRINGS = /*STRINGS*/{};
  var script = document.currentScript ||
    document.querySelector('script[data-key][src*="/chat/widget.js"]');
  if (!script || !script.dataset.key || window.__carebaseChat) return;
  window.__carebaseChat = true;
  var key = script.dataset.key;
  var base = new URL(script.src, location.href);
  var pageLang = (document.documentElement.lang || navigator.language || "en").slice(0, 2).toLowerCase();
  var lang = pageLang === "pl" ? "pl" : "en";
  var t = STRINGS[lang] || STRINGS.en || {};
  var storeKey = "carebase-chat:" + key;

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  var state = load();
  state.outbox = state.outbox || [];
  state.lastId = state.lastId || 0;
  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name] || ""; });
  }

  var CSS = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:14px;line-height:1.4}",
    ".launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;padding:14px 20px;background:#2454d6;color:#fff;font-weight:600;cursor:pointer;box-shadow:0 4px 16px rgba(0,0,0,.25)}",
    ".panel{position:fixed;right:20px;bottom:84px;z-index:2147483000;width:360px;max-width:calc(100vw - 24px);height:520px;max-height:calc(100vh - 110px);background:#fff;color:#1c2230;border-radius:12px;box-shadow:0 8px 32px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden}",
    ".panel[hidden]{display:none}",
    "header{background:#2454d6;color:#fff;padding:12px 14px;display:flex;justify-content:space-between;align-items:center;font-weight:600}",
    "header button{background:none;border:0;color:#fff;font-size:20px;cursor:pointer}",
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f5f7fb}",
    ".msg{max-width:80%;padding:8px 11px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}",
    ".msg.agent{background:#fff;border:1px solid #dde3ee;align-self:flex-start}",
    ".msg.visitor{background:#2454d6;color:#fff;align-self:flex-end}",
    ".msg.notice{align-self:center;background:none;color:#5b6577;font-size:12px}",
    ".meta{font-size:11px;opacity:.75;margin-top:3px}",
    ".typing{min-height:18px;padding:0 12px;color:#5b6577;font-size:12px}",
    "form{display:flex;flex-direction:column;gap:8px;padding:10px 12px;border-top:1px solid #e3e7ef}",
    "form.compose{flex-direction:row;align-items:flex-end}",
    "textarea,input{width:100%;border:1px solid #c9d1df;border-radius:8px;padding:8px;color:#1c2230;background:#fff}",
    "textarea{resize:none;min-height:40px;max-height:120px}",
    "button.primary{border:0;border-radius:8px;padding:9px 14px;background:#2454d6;color:#fff;font-weight:600;cursor:pointer}",
    ".stars{display:flex;gap:6px}.stars button{border:1px solid #c9d1df;background:#fff;border-radius:6px;padding:6px 10px;cursor:pointer}",
    ".stars button[aria-pressed=true]{background:#ffcc33;border-color:#e0a800}",
    ".status{padding:6px 12px;font-size:12px;color:#8a4b00;background:#fff4e0}",
    ".status[hidden]{display:none}",
    ".attach{cursor:pointer;font-size:20px;padding:6px 2px}",
    ".files{font-size:12px;margin-top:3px}"
  ].join("");

  var host = document.createElement("div");
  host.setAttribute("data-carebase-chat", "");
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML = '<style>' + CSS + '</style>' +
    '<button class="launcher" type="button" part="launcher"></button>' +
    '<section class="panel" role="dialog" hidden>' +
    '<header><span class="title"></span><button type="button" class="close">×</button></header>' +
    '<div class="status" role="status" hidden></div>' +
    '<div class="log" aria-live="polite"></div>' +
    '<div class="typing"></div>' +
    '<form class="identity" hidden><p class="identity-note"></p><input name="name" required autocomplete="name"><input name="email" type="email" required autocomplete="email"><button class="primary" type="submit"></button></form>' +
    '<form class="offline" hidden><p class="offline-note"></p><input name="name" autocomplete="name"><input name="email" type="email" required autocomplete="email"><textarea name="text" required></textarea><button class="primary" type="submit"></button></form>' +
    '<form class="rating" hidden><p class="rating-note"></p><div class="stars"></div><textarea name="comment"></textarea><button class="primary" type="submit"></button></form>' +
    '<form class="compose"><label class="attach"><span>📎</span><input type="file" name="file" hidden></label><textarea name="text" rows="1"></textarea><button class="primary" type="submit"></button></form>' +
    '</section>';
  function $(selector) { return root.querySelector(selector); }
  var launcher = $(".launcher"), panel = $(".panel"), log = $(".log");
  var compose = $("form.compose"), identity = $("form.identity"), offline = $("form.offline"), rating = $("form.rating");
  var statusLine = $(".status"), typingLine = $(".typing");
  launcher.textContent = t.open;
  $(".title").textContent = t.title;
  $(".close").setAttribute("aria-label", t.close);
  compose.text.placeholder = t.placeholder;
  compose.querySelector("button").textContent = t.send;
  compose.querySelector(".attach").title = t.attach;
  identity.name.placeholder = offline.name.placeholder = t.name;
  identity.email.placeholder = offline.email.placeholder = t.email;
  offline.text.placeholder = t.message;
  offline.querySelector("button").textContent = t.leaveMessage;
  $(".offline-note").textContent = t.offline;
  $(".rating-note").textContent = t.rate;
  rating.comment.placeholder = t.comment;
  rating.querySelector("button").textContent = t.sendRating;
  for (var score = 1; score <= 5; score++) {
    var star = document.createElement("button");
    star.type = "button"; star.value = String(score); star.textContent = "★ " + score;
    star.setAttribute("aria-pressed", "false");
    $(".stars").appendChild(star);
  }
  (document.body || document.documentElement).appendChild(host);

  var socket = null, delay = 1000, settings = null, shown = {}, agentRead = 0, typingTimer = null;
  var lastTyping = 0, chosen = 0, stopped = false;

  function show(form, visible) { form.hidden = !visible; }
  function notice(text) {
    var line = document.createElement("div");
    line.className = "msg notice";
    line.textContent = text;
    log.appendChild(line);
    log.scrollTop = log.scrollHeight;
  }
  function render(message, pending) {
    var id = message.id ? "m" + message.id : "c" + message.client_id;
    var line = shown[id] || (message.client_id && shown["c" + message.client_id]);
    if (!line) {
      line = document.createElement("div");
      line.className = "msg " + (message.from === "agent" ? "agent" : "visitor");
      var text = document.createElement("div");
      text.className = "text";
      text.textContent = message.text;
      var meta = document.createElement("div");
      if (message.files && message.files.length) {
        var files = document.createElement("div");
        files.className = "files";
        files.textContent = message.files.join(", ");
        line.appendChild(files);
      }
      meta.className = "meta";
      line.appendChild(text); line.appendChild(meta);
      log.appendChild(line);
    }
    if (message.client_id) shown["c" + message.client_id] = line;
    if (message.id) {
      shown["m" + message.id] = line;
      line.dataset.id = message.id;
      if (message.id > state.lastId) { state.lastId = message.id; save(); }
    }
    var who = message.from === "agent" ? (message.author || t.agent) : t.you;
    var mark = "";
    if (message.from !== "agent") mark = pending ? t.sending : (message.id <= agentRead ? t.read : t.delivered);
    line.querySelector(".meta").textContent = who + (mark ? " · " + mark : "");
    line.dataset.state = pending ? "pending" : "delivered";
    log.scrollTop = log.scrollHeight;
  }
  function markRead() {
    var lines = log.querySelectorAll(".msg.visitor[data-id]");
    lines.forEach(function (line) {
      if (Number(line.dataset.id) <= agentRead) {
        line.querySelector(".meta").textContent = t.you + " · " + t.read;
        line.dataset.state = "read";
      }
    });
  }

  function url() {
    var scheme = base.protocol === "https:" ? "wss://" : "ws://";
    var query = "?lang=" + lang + "&after=" + (state.lastId || 0) + "&page=" + encodeURIComponent(location.href.slice(0, 900));
    if (state.token) query += "&token=" + encodeURIComponent(state.token);
    return scheme + base.host + "/ws/chat/" + encodeURIComponent(key) + "/" + query;
  }
  function send(frame) {
    if (socket && socket.readyState === 1) { socket.send(JSON.stringify(frame)); return true; }
    return false;
  }
  function flush() {
    state.outbox.forEach(function (item) { send({ type: "message", client_id: item.client_id, text: item.text }); });
  }
  function connect() {
    if (stopped || (socket && socket.readyState <= 1)) return;
    socket = new WebSocket(url());
    socket.onopen = function () { delay = 1000; statusLine.hidden = true; };
    socket.onmessage = function (event) { receive(JSON.parse(event.data)); };
    socket.onclose = function (event) {
      socket = null;
      if (event.code === 4403) { stopped = true; statusLine.textContent = t.refused; statusLine.hidden = false; return; }
      if (event.code === 4401) { delete state.token; state.lastId = 0; save(); }
      statusLine.textContent = t.reconnecting; statusLine.hidden = false;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  function needsIdentity() {
    return settings && !settings.visitor.email &&
      (settings.ask_identity === "before" || (settings.ask_identity === "during" && log.querySelector(".msg.visitor")));
  }
  function layout() {
    var closed = settings && settings.closed;
    var away = settings && !settings.online && !settings.chat && !log.querySelector(".msg.visitor");
    show(offline, !!away && !closed);
    show(rating, !!closed && !settings.rated);
    show(identity, !away && !closed && !!needsIdentity());
    show(compose, !away && !closed && !(settings && settings.ask_identity === "before" && needsIdentity()));
    identity.querySelector("button").textContent = settings && settings.ask_identity === "before" ? t.start : t.save;
    $(".identity-note").textContent = settings && settings.ask_identity === "during" ? t.identityDuring : "";
  }
  function receive(frame) {
    if (frame.type === "welcome") {
      settings = frame;
      settings.closed = false;
      state.token = frame.token; save();
      if (frame.chat) agentRead = frame.chat.agent_read || 0;
      if (!log.childElementCount) notice(frame.greeting[lang] || frame.greeting.en);
      frame.messages.forEach(function (message) { render(message, false); });
      state.outbox.forEach(function (item) { render({ client_id: item.client_id, text: item.text, from: "visitor" }, true); });
      markRead();
      flush();
      layout();
      if (!panel.hidden) sendRead();
    } else if (frame.type === "message") {
      state.outbox = state.outbox.filter(function (item) { return item.client_id !== frame.client_id || !frame.client_id; });
      save();
      render(frame, false);
      if (frame.from === "agent") { typingLine.textContent = ""; if (!panel.hidden) sendRead(); else launcher.dataset.unread = "1"; }
      layout();
    } else if (frame.type === "typing") {
      typingLine.textContent = fill(t.typing, { name: frame.agent || t.agent });
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { typingLine.textContent = ""; }, 5000);
    } else if (frame.type === "read") {
      agentRead = Math.max(agentRead, frame.id || 0); markRead();
    } else if (frame.type === "agent") {
      notice(fill(t.agentJoined, { name: frame.name }));
    } else if (frame.type === "closed") {
      settings.closed = true; settings.rated = !frame.rate; settings.chat = null;
      notice(t.closed); layout();
      if (settings.rated) { transcriptButton(); newChatButton(); }
    } else if (frame.type === "rated") {
      settings.rated = true; notice(t.rated); layout(); transcriptButton(); newChatButton();
    } else if (frame.type === "transcript_sent") {
      notice(fill(t.transcriptSent, { email: frame.email }));
    } else if (frame.type === "identified") {
      settings.visitor = frame.visitor; layout();
    } else if (frame.type === "offline_sent") {
      offline.reset(); show(offline, false); notice(t.offlineSent);
    } else if (frame.type === "error" && frame.code === "rate_limited") {
      statusLine.textContent = t.slowDown; statusLine.hidden = false;
      setTimeout(function () { statusLine.hidden = true; flush(); }, (frame.retry_after || 5) * 1000);
    } else if (frame.type === "error") {
      var detail = frame.detail || {};
      var first = Object.keys(detail).map(function (field) { return detail[field].join(" "); }).join(" ");
      if (frame.client_id) {
        state.outbox = state.outbox.filter(function (item) { return item.client_id !== frame.client_id; }); save();
      }
      statusLine.textContent = first; statusLine.hidden = false;
    }
  }
  function transcriptButton() {
    if (!settings.visitor.email) return;
    var button = document.createElement("button");
    button.type = "button"; button.className = "primary"; button.textContent = t.transcript;
    button.onclick = function () { button.remove(); send({ type: "transcript" }); };
    log.appendChild(button);
  }
  function newChatButton() {
    var button = document.createElement("button");
    button.type = "button"; button.className = "primary"; button.textContent = t.newChat;
    button.onclick = function () { button.remove(); settings.closed = false; layout(); };
    log.appendChild(button);
  }
  function sendRead() {
    var last = 0;
    log.querySelectorAll(".msg.agent[data-id]").forEach(function (line) { last = Math.max(last, Number(line.dataset.id)); });
    if (last) send({ type: "read", id: last });
  }

  launcher.addEventListener("click", function () {
    panel.hidden = !panel.hidden;
    state.open = !panel.hidden; save();
    delete launcher.dataset.unread;
    if (!panel.hidden) { connect(); sendRead(); compose.text.focus(); }
  });
  $(".close").addEventListener("click", function () { panel.hidden = true; state.open = false; save(); });
  compose.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = compose.text.value;
    if (!text.trim()) return;
    var item = { client_id: Date.now().toString(36) + Math.random().toString(36).slice(2, 10), text: text };
    state.outbox.push(item); save();
    compose.text.value = "";
    render({ client_id: item.client_id, text: text, from: "visitor" }, true);
    send({ type: "message", client_id: item.client_id, text: text });
    connect();
    layout();
  });
  compose.file.addEventListener("change", function () {
    var file = compose.file.files[0];
    if (!file || !state.token) return;
    var clientId = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    render({ client_id: clientId, text: "📎 " + file.name, from: "visitor" }, true);
    var body = new FormData();
    body.append("client_id", clientId);
    body.append("file", file);
    compose.file.value = "";
    fetch(base.origin + "/chat/files/" + encodeURIComponent(key) + "/", {
      method: "POST", body: body, headers: { "X-Chat-Token": state.token }
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok && data.message) { render(data.message, false); layout(); }
        else { statusLine.textContent = data.detail || t.uploadFailed; statusLine.hidden = false; }
      });
    }).catch(function () { statusLine.textContent = t.uploadFailed; statusLine.hidden = false; });
  });
  compose.text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); compose.requestSubmit(); }
  });
  compose.text.addEventListener("input", function () {
    if (Date.now() - lastTyping > 2000) { lastTyping = Date.now(); send({ type: "typing" }); }
  });
  identity.addEventListener("submit", function (event) {
    event.preventDefault();
    send({ type: "identify", name: identity.name.value, email: identity.email.value });
  });
  offline.addEventListener("submit", function (event) {
    event.preventDefault();
    send({ type: "offline", name: offline.name.value, email: offline.email.value, text: offline.text.value });
  });
  $(".stars").addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    chosen = Number(button.value);
    $(".stars").querySelectorAll("button").forEach(function (other) {
      other.setAttribute("aria-pressed", String(Number(other.value) <= chosen));
    });
  });
  rating.addEventListener("submit", function (event) {
    event.preventDefault();
    if (chosen) send({ type: "rate", rating: chosen, comment: rating.comment.value });
  });
  setInterval(function () { send({ type: "ping" }); }, 25000);
  if (state.token) connect(); // a visitor who chatted before: go on where they were
  if (state.open) { panel.hidden = false; connect(); }
})();
