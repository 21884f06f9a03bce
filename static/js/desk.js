// The agent's desk from the keyboard, and the htmx answers that are not a success.
//
// Shortcuts (the help, templates/partials/_shortcuts.html, opens with « ? »):
//   /            the customer search (its field on this page, else the search page)
//   n            the new exchange: the form of a customer page, or on the caller card the
//                caller's page (several callers on one number: the first one's link)
//   Ctrl+Enter   sends the form being typed in (⌘+Enter on a Mac)
//   g d / g a    the requests queue / the alerts
//   Échap        leaves the field being typed in, so that the letters are shortcuts again
// A one-letter shortcut never fires while the agent types in a field. Elements opt in with
// data-shortcut-new; the URLs come with the help dialog, only those the role may open.
//
// htmx: an answer in error (4xx, 5xx; 422 is a form with its errors, swapped as a success)
// or no answer at all becomes a toast (role="alert", the page's one toast function:
// static/js/toasts.js) with the reason our error pages carry (data-error-reason), instead
// of nothing; nothing is pasted into the page. A login page in answer (the session gone)
// is session.js's: it goes there, keeping the draft.
(function () {
  "use strict";

  // ---- toasts (static/js/toasts.js) ------------------------------------------------------
  // the container carries the reasons, translated (templates/base.html)
  var box = document.getElementById("notifications");

  function toast(text) {
    if (window.rcToast) { window.rcToast({text: text, error: true}); }
  }

  function reasonOf(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    var text = xhr.responseText || "";
    if (type.indexOf("text/html") === 0 && text) {
      var found = new DOMParser().parseFromString(text, "text/html").querySelector("[data-error-reason]");
      if (found && found.textContent.trim()) { return found.textContent.trim(); }
    } else if (type.indexOf("application/json") === 0) {
      try { return JSON.parse(text).detail || ""; } catch (e) { return ""; }
    }
    return "";
  }

  function said(name) { return box ? box.getAttribute("data-error-" + name) || "" : ""; }

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var status = xhr ? xhr.status : 0;
    if (status >= 500) {
      toast(said("5xx"));  // the server's own page says less than this: the input is kept
    } else {
      toast(reasonOf(xhr) || said(String(status)) || said("4xx"));
    }
  });
  document.addEventListener("htmx:sendError", function () { toast(said("network")); });
  document.addEventListener("htmx:timeout", function () { toast(said("network")); });

  // ---- shortcuts -------------------------------------------------------------------------
  var help = document.getElementById("raccourcis");
  if (!help) { return; }  // signed out: no shortcuts
  var opener = null;
  var pendingG = 0;
  var NOT_TYPED = ["button", "submit", "reset", "checkbox", "radio", "file", "image", "range", "color"];

  function typing(element) {
    if (!element || !element.tagName) { return false; }
    if (element.isContentEditable) { return true; }
    var tag = element.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") { return true; }
    return tag === "INPUT" && NOT_TYPED.indexOf((element.type || "").toLowerCase()) === -1;
  }

  function openHelp() {
    opener = document.activeElement;
    help.showModal();
  }

  help.addEventListener("close", function () {
    if (opener && opener.focus && document.contains(opener)) { opener.focus(); }
    opener = null;
  });
  help.querySelectorAll("[data-shortcuts-close]").forEach(function (button) {
    button.addEventListener("click", function () { help.close(); });
  });
  document.querySelectorAll("[data-shortcuts-open]").forEach(function (button) {
    button.addEventListener("click", openHelp);
  });

  function go(url) {
    if (url) { location.assign(url); }
    return Boolean(url);
  }

  function search() {
    var field = document.querySelector('form[role="search"] input[type="search"]');
    if (field) {
      field.focus();
      field.select();
      return true;
    }
    return go(help.dataset.searchUrl);
  }

  function newExchange() {
    var targets = document.querySelectorAll("[data-shortcut-new]");
    if (!targets.length) { return false; }
    var target = targets[0];
    if (target.tagName === "A") {
      // one caller: their page, ready to note the call; several: choose among them
      if (targets.length === 1) { target.click(); } else { target.focus(); }
      return true;
    }
    var field = target.tagName === "FORM"
      ? target.querySelector('textarea[name="summary"]') ||
        target.querySelector("input:not([type=hidden]), select, textarea")
      : target;
    if (!field) { return false; }
    field.scrollIntoView({block: "center"});
    field.focus();
    return true;
  }

  function send(form) {
    var buttons = form.querySelectorAll('button:not([type]), button[type="submit"], input[type="submit"]');
    if (buttons.length > 1) { return false; }  // which outcome is meant is the agent's choice
    if (buttons.length === 1) {
      if (buttons[0].disabled) { return false; }
      form.requestSubmit(buttons[0]);
    } else {
      form.requestSubmit();
    }
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing) { return; }
    var target = event.target;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.altKey) {
      var form = target && target.closest ? target.closest("form") : null;
      if (form && send(form)) { event.preventDefault(); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(target)) {
      // Échap leaves the field (a search field's first Échap clears it, as browsers do)
      if (event.key === "Escape" && !target.closest("dialog, .modal, .dropdown-menu") &&
          !(target.type === "search" && target.value)) {
        target.blur();
      }
      return;
    }
    if (help.open || document.querySelector(".modal.show")) { return; }
    var key = event.key;
    if (pendingG) {
      var recent = Date.now() - pendingG < 1500;
      pendingG = 0;
      if (recent && key === "d" && go(help.dataset.queueUrl)) { event.preventDefault(); return; }
      if (recent && key === "a" && go(help.dataset.alertsUrl)) { event.preventDefault(); return; }
    }
    var done = false;
    if (key === "?") {
      openHelp();
      done = true;
    } else if (key === "/") {
      done = search();
    } else if (key === "n") {
      done = newExchange();
    } else if (key === "g") {
      pendingG = Date.now();
      done = true;
    }
    // the key is not typed into the field the shortcut just focused
    if (done) { event.preventDefault(); }
  });
})();
