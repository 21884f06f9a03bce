// The session's end, seen from the page (agences/sessions.py enforces it on the server).
//
// - Warns SESSION_WARNING_SECONDS before the session ends, with a button that keeps it
//   alive; when it has ended, reloads the page, so a shared screen stops showing a
//   customer and the agent lands on the login page, sent back here afterwards.
// - Keeps what the agent types in the text areas of the page's forms (the exchange's
//   summary, a request's answer, a note for a partner…) in this browser's localStorage,
//   per user and page, and puts each back when the page opens again with it empty; a
//   form's draft is dropped once the form is saved, all of them when the agent signs out.
// - An htmx answer that is the login page (the session ended on the server some other
//   way: signed out elsewhere, cleared by an administrator) is never pasted into the
//   page: the whole page goes to the login page, and back here after signing in.
(function () {
  "use strict";
  var body = document.body;
  var user = body.dataset.sessionUser;
  // a form sent the classic way, whose draft waits for the next page to say it went
  // through (sessionStorage: this tab only)
  var PENDING = "rc-draft-sent";
  if (!user) {
    // signed out on the way (the login page): the sending did not go through
    var sent = readJSON(sessionStorage, PENDING);
    if (sent) {
      sent.interrupted = true;
      sessionStorage.setItem(PENDING, JSON.stringify(sent));
    }
    return;  // nothing to keep, nothing ends
  }

  function readJSON(storage, name) {
    try { return JSON.parse(storage.getItem(name) || "null"); } catch (e) { return null; }
  }

  // ---- drafts --------------------------------------------------------------------------
  var PREFIX = "rc-draft:" + user + ":";
  var MAX_AGE_MS = 24 * 3600 * 1000;  // an old draft is not put back: the call is over
  var key = PREFIX + location.pathname;

  function isDraftField(field) {
    if (!field || field.tagName !== "TEXTAREA" || !field.name || !field.form) { return false; }
    var form = field.form;
    return (form.getAttribute("method") || "").toLowerCase() === "post" || form.hasAttribute("hx-post");
  }

  function fieldKey(field) {
    var form = field.form;
    return (form.id || form.getAttribute("action") || "") + "|" + field.name;
  }

  function fields() {
    return Array.prototype.filter.call(document.querySelectorAll("form textarea[name]"), isDraftField);
  }

  function load(page) {
    var saved = readJSON(localStorage, page);
    if (!saved || Date.now() - saved.at > MAX_AGE_MS) { localStorage.removeItem(page); return {}; }
    if (typeof saved.text === "string") { return {"noter|summary": saved.text}; }  // older shape
    return saved.fields || {};
  }

  function store(page, texts) {
    if (Object.keys(texts).length) {
      localStorage.setItem(page, JSON.stringify({fields: texts, at: Date.now()}));
    } else {
      localStorage.removeItem(page);
    }
  }

  function restore() {
    var texts = load(key);
    fields().forEach(function (field) {
      var text = texts[fieldKey(field)];
      if (text && !field.value) {
        field.value = text;
        field.dataset.draftRestored = "true";
      }
    });
  }

  function keep(field) {
    var texts = load(key);
    if (field.value) { texts[fieldKey(field)] = field.value; } else { delete texts[fieldKey(field)]; }
    store(key, texts);
  }

  function drop(page, names) {
    var texts = load(page);
    names.forEach(function (name) { delete texts[name]; });
    store(page, texts);
  }

  function formKeys(form) {
    return Array.prototype.filter.call(form.querySelectorAll("textarea[name]"), isDraftField).map(fieldKey);
  }

  function dropAllDrafts() {
    Object.keys(localStorage).forEach(function (name) {
      if (name.indexOf(PREFIX) === 0) { localStorage.removeItem(name); }
    });
    sessionStorage.removeItem(PENDING);
  }

  document.addEventListener("input", function (event) {
    if (isDraftField(event.target)) { keep(event.target); }
  });
  // a form htmx sent and the server took (2xx, not sending the page elsewhere): its draft
  // is done. Only the form's own request: a hint a field asks for is not a saving. Read
  // before the swap, while the form is still in the page (a swap may take it away with
  // its panel, and then htmx:afterRequest never reaches the body).
  body.addEventListener("htmx:beforeOnLoad", function (event) {
    var form = event.detail.elt;
    var xhr = event.detail.xhr;
    if (xhr && xhr.status >= 200 && xhr.status < 300 && !xhr.getResponseHeader("HX-Redirect") &&
        !isLoginAnswer(xhr) && form && form.tagName === "FORM" && form.hasAttribute("hx-post")) {
      drop(key, formKeys(form));
    }
  });
  body.addEventListener("htmx:afterSwap", restore);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-session-logout")) { dropAllDrafts(); return; }
    if (form.hasAttribute("hx-post") || (form.getAttribute("method") || "").toLowerCase() !== "post") { return; }
    var names = formKeys(form);
    if (names.length) { sessionStorage.setItem(PENDING, JSON.stringify({page: key, fields: names})); }
  });

  // the login page in answer to htmx (the request was redirected there): never pasted
  // into a fragment of this page
  function isLoginAnswer(xhr) {
    var login = body.dataset.sessionLogin;
    return Boolean(login && xhr.responseURL &&
      new URL(xhr.responseURL, location.href).pathname === login);
  }

  body.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var login = body.dataset.sessionLogin;
    if (!xhr || !isLoginAnswer(xhr)) { return; }
    event.detail.shouldSwap = false;
    event.detail.isError = false;
    fields().forEach(function (field) { if (field.value) { keep(field); } });
    var back = encodeURIComponent(location.pathname + location.search).replace(/%2F/g, "/");
    location.assign(login + "?next=" + back);  // as Django writes it: slashes kept
  });

  // the page after a classic sending: shown without an error, the sending went through
  // and its draft is done; the login page on the way, or errors shown, keep it
  var sentBefore = readJSON(sessionStorage, PENDING);
  if (sentBefore) {
    sessionStorage.removeItem(PENDING);
    var refused = document.querySelector(".is-invalid, .alert-danger, .errorlist, [aria-invalid=true]");
    if (!sentBefore.interrupted && !refused) { drop(sentBefore.page, sentBefore.fields || []); }
  }
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
