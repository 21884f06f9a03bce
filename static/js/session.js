// The session's end, seen from the page (agences/sessions.py enforces it on the server).
//
// - Warns SESSION_WARNING_SECONDS before the session ends, with a button that keeps it
//   alive; when it has ended, reloads the page, so a shared screen stops showing a
//   customer and the agent lands on the login page, sent back here afterwards.
// - Keeps what the agent types in a touchpoint summary (textarea name="summary") in this
//   browser's localStorage, per user and page, and puts it back when the page opens
//   again empty; the draft is dropped once the exchange is saved or the agent signs out.
(function () {
  "use strict";
  var body = document.body;
  var user = body.dataset.sessionUser;
  if (!user) { return; }  // signed out: nothing to keep, nothing ends

  // ---- drafts --------------------------------------------------------------------------
  var PREFIX = "rc-draft:" + user + ":";
  var MAX_AGE_MS = 24 * 3600 * 1000;  // an old draft is not put back: the call is over
  var key = PREFIX + location.pathname;

  function fields() { return document.querySelectorAll('textarea[name="summary"]'); }

  function restore() {
    var saved;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved || Date.now() - saved.at > MAX_AGE_MS) { localStorage.removeItem(key); return; }
    fields().forEach(function (field) {
      if (!field.value) {
        field.value = saved.text;
        field.dataset.draftRestored = "true";
      }
    });
  }

  function save(event) {
    if (event.target.name !== "summary" || event.target.tagName !== "TEXTAREA") { return; }
    var text = event.target.value;
    if (text) {
      localStorage.setItem(key, JSON.stringify({text: text, at: Date.now()}));
    } else {
      localStorage.removeItem(key);
    }
  }

  function dropAllDrafts() {
    Object.keys(localStorage).forEach(function (name) {
      if (name.indexOf(PREFIX) === 0) { localStorage.removeItem(name); }
    });
  }

  document.addEventListener("input", save);
  // the exchange saved (htmx answers 2xx without redirecting): its draft is done
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var form = event.detail.elt;
    if (event.detail.successful && xhr && !xhr.getResponseHeader("HX-Redirect") &&
        form && form.querySelector && form.querySelector('textarea[name="summary"]')) {
      localStorage.removeItem(key);
    }
  });
  document.body.addEventListener("htmx:afterSwap", restore);
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-session-logout")) { dropAllDrafts(); }
  });
  restore();

  // ---- the session's end ---------------------------------------------------------------
  var warning = parseInt(body.dataset.sessionWarning, 10) || 0;
  var left = parseInt(body.dataset.sessionLeft, 10);
  if (isNaN(left)) { return; }
  var endsAt = Date.now() + left * 1000;
  var banner = null;

  function csrfToken() {
    try { return JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function keepAlive() {
    fetch(body.dataset.sessionKeepalive, {
      method: "POST",
      headers: {"X-CSRFToken": csrfToken()},
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { location.reload(); return null; }
      return response.json();
    }).then(function (data) {
      if (!data) { return; }
      endsAt = Date.now() + data.seconds_left * 1000;
      if (banner) { banner.remove(); banner = null; }
    });
  }

  function showBanner(seconds) {
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "alert alert-warning session-warning d-flex align-items-center gap-3";
      banner.setAttribute("role", "alert");
      banner.id = "session-warning";
      var text = document.createElement("span");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-primary";
      button.textContent = body.dataset.sessionStay;
      button.addEventListener("click", keepAlive);
      banner.appendChild(text);
      banner.appendChild(button);
      var main = document.getElementById("contenu");
      main.insertBefore(banner, main.firstChild);
    }
    var shown = seconds > 90 ? Math.ceil(seconds / 60) + " min" : Math.max(seconds, 0) + " s";
    // the sentence comes translated from the page (base.html), with %s for the time left
    banner.firstChild.textContent = body.dataset.sessionMessage.replace("%s", shown);
  }

  function tick() {
    var seconds = Math.round((endsAt - Date.now()) / 1000);
    // a second and a half past the end: the server counts whole seconds and only ends a
    // session strictly past its limit, else the reload would find it still open
    if (Date.now() > endsAt + 1500) {
      // the server has signed the session out: show the login page, not the customer
      location.reload();
      return;
    }
    if (seconds <= warning) { showBanner(seconds); }
    setTimeout(tick, 1000);
  }
  setTimeout(tick, 1000);
})();
