/* HipGuide web chat: socket.io to the Rasa server on this origin, no other requests.
 * The conversation continues across reloads: the session id and the transcript live in
 * sessionStorage (this tab only), and the server keeps the session's room and tracker. */
(function () {
  "use strict";

  var store = window.sessionStorage;
  var SESSION_KEY = "hipguide.session";
  var TRANSCRIPT_KEY = "hipguide.transcript";
  var MAX_CHARS = 4000;

  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var sendButton = document.getElementById("send");
  var statusLine = document.getElementById("status");
  var typing = document.getElementById("typing");
  var typingTimer = null;

  var transcript = readTranscript();
  var sessionId = store.getItem(SESSION_KEY);

  function readTranscript() {
    try {
      var saved = JSON.parse(store.getItem(TRANSCRIPT_KEY) || "[]");
      return Array.isArray(saved) ? saved : [];
    } catch (error) {
      return [];
    }
  }

  function saveTranscript() {
    store.setItem(TRANSCRIPT_KEY, JSON.stringify(transcript));
  }

  // ---- markdown (a safe subset: escape first, then bold, italics, links, line breaks) ----
  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function renderMarkdown(text) {
    var html = escapeHtml(text || "");
    html = html.replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>');
    html = html.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
    html = html.replace(/(^|[\s(])[*_]([^*_\n]+)[*_](?=[\s.,;:!?)]|$)/g, "$1<em>$2</em>");
    return html.replace(/\n/g, "<br>");
  }

  // ---- the transcript -------------------------------------------------------------------
  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function renderEntry(entry, index) {
    var item = document.createElement("li");
    item.className = "message " + entry.from;
    item.dataset.index = String(index);
    var body = document.createElement("div");
    body.className = "text";
    body.innerHTML = renderMarkdown(entry.text);
    item.appendChild(body);
    if (entry.buttons && entry.buttons.length) {
      var replies = document.createElement("div");
      replies.className = "quick-replies";
      replies.setAttribute("role", "group");
      entry.buttons.forEach(function (button) {
        var element = document.createElement("button");
        element.type = "button";
        element.textContent = button.title;
        element.disabled = Boolean(entry.answered);
        element.addEventListener("click", function () {
          send(button.payload, button.title);
        });
        replies.appendChild(element);
      });
      item.appendChild(replies);
    }
    log.appendChild(item);
  }

  function renderAll() {
    log.innerHTML = "";
    transcript.forEach(renderEntry);
    scrollToEnd();
  }

  function add(entry) {
    transcript.push(entry);
    saveTranscript();
    renderEntry(entry, transcript.length - 1);
    scrollToEnd();
  }

  function closeOpenReplies() {
    var changed = false;
    transcript.forEach(function (entry) {
      if (entry.buttons && entry.buttons.length && !entry.answered) {
        entry.answered = true;
        changed = true;
      }
    });
    if (changed) {
      saveTranscript();
      Array.prototype.forEach.call(log.querySelectorAll(".quick-replies button"), function (b) { b.disabled = true; });
    }
  }

  function setTyping(on) {
    clearTimeout(typingTimer);
    typing.hidden = !on;
    if (on) {
      typingTimer = setTimeout(function () { typing.hidden = true; }, 15000);
    }
  }

  // ---- the socket ---------------------------------------------------------------------
  var socket = window.io({ transports: ["websocket", "polling"] });

  function setStatus(text, offline) {
    statusLine.textContent = text;
    statusLine.classList.toggle("offline", Boolean(offline));
    sendButton.disabled = Boolean(offline);
  }

  socket.on("connect", function () {
    socket.emit("session_request", { session_id: sessionId });
  });

  socket.on("session_confirm", function (confirmed) {
    var isNew = confirmed !== sessionId;
    if (isNew && sessionId && transcript.length > 0) {
      // the server did not continue the stored session (expired, or open in another tab)
      transcript = [];
      store.removeItem(TRANSCRIPT_KEY);
      renderAll();
      add({ from: "system", text: "Your earlier conversation could not be continued here, so this is a new one." });
    }
    sessionId = confirmed;
    store.setItem(SESSION_KEY, confirmed);
    setStatus("Connected. Your conversation is private to this tab.", false);
    document.body.dataset.session = confirmed;
    var talked = transcript.some(function (entry) { return entry.from !== "system"; });
    if (isNew && !talked) {
      socket.emit("user_uttered", { message: "/greet", session_id: sessionId });
      setTyping(true);
    }
  });

  socket.on("disconnect", function () {
    setStatus("Connection lost - reconnecting…", true);
  });

  socket.on("connect_error", function () {
    setStatus("Cannot reach HipGuide - retrying…", true);
  });

  socket.on("bot_uttered", function (message) {
    setTyping(false);
    var buttons = (message.quick_replies || message.buttons || []).map(function (b) {
      return { title: b.title, payload: b.payload };
    });
    if (message.text || buttons.length) {
      add({ from: "bot", text: message.text || "", buttons: buttons });
    }
  });

  socket.on("hipguide_error", function (error) {
    setTyping(false);
    var code = error && error.code;
    var text = code === "message_too_long"
      ? "That message is too long. Please keep it under " + MAX_CHARS + " characters."
      : code === "rate_limited"
        ? "You're sending messages faster than I can read them. Please wait a few seconds and send that again."
        : code === "busy"
          ? "I couldn't handle that message just now. Please send it again in a moment."
          : "That message could not be sent. Please try again.";
    add({ from: "system", text: text });
  });

  function send(payload, shown) {
    if (!sessionId || !socket.connected) {
      add({ from: "system", text: "Not connected yet - please try again in a moment." });
      return;
    }
    closeOpenReplies();
    add({ from: "user", text: shown });
    socket.emit("user_uttered", { message: payload, session_id: sessionId });
    setTyping(true);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) {
      return;
    }
    input.value = "";
    send(text, text);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // ---- the body map -------------------------------------------------------------------
  var bodymap = document.getElementById("bodymap");
  if (window.matchMedia("(min-width: 701px)").matches) {
    bodymap.open = true;
  }

  Array.prototype.forEach.call(document.querySelectorAll(".view-button"), function (button) {
    button.addEventListener("click", function () {
      var view = button.dataset.view;
      Array.prototype.forEach.call(document.querySelectorAll(".view-button"), function (other) {
        other.setAttribute("aria-pressed", String(other === button));
      });
      // SVG elements have no .hidden property: toggle the attribute itself.
      document.getElementById("map-front").toggleAttribute("hidden", view !== "front");
      document.getElementById("map-back").toggleAttribute("hidden", view !== "back");
    });
  });

  function chooseRegion(region) {
    var entities = { body_location: region.dataset.location };
    if (region.dataset.side) {
      entities.side = region.dataset.side;
    }
    Array.prototype.forEach.call(document.querySelectorAll(".region.chosen"), function (r) { r.classList.remove("chosen"); });
    region.classList.add("chosen");
    send("/describe_symptoms" + JSON.stringify(entities), region.dataset.label);
  }

  Array.prototype.forEach.call(document.querySelectorAll(".region"), function (region) {
    region.setAttribute("tabindex", "0");
    region.setAttribute("role", "button");
    region.setAttribute("aria-label", region.dataset.label);
    var title = document.createElementNS("http://www.w3.org/2000/svg", "title");
    title.textContent = region.dataset.label;
    region.appendChild(title);
    region.addEventListener("click", function () { chooseRegion(region); });
    region.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        chooseRegion(region);
      }
    });
  });

  // ---- a new conversation -------------------------------------------------------------
  document.getElementById("new-conversation").addEventListener("click", function () {
    store.removeItem(SESSION_KEY);
    store.removeItem(TRANSCRIPT_KEY);
    transcript = [];
    sessionId = null;
    renderAll();
    socket.emit("session_request", { session_id: null });
  });

  renderAll();
})();
