// The page's toasts: one container (#notifications, templates/base.html) and this one
// function for every script that has something to say without a page of its own:
//   - live.js: a new alert (role=status, read out politely; a link to it; it goes after
//     12 s unless the agent is reading it: focus or pointer on it);
//   - desk.js: an htmx answer that is not a success (role=alert, red; it stays until
//     closed; the same text twice is shown once, the latest).
// At most MAX_SHOWN at a time, the oldest go first.
//
//   window.rcToast({text: "…", title: "…", url: "…", linkText: "Voir", error: true})
(function () {
  "use strict";
  var MAX_SHOWN = 3;
  var STAYS_MS = 12000;

  window.rcToast = function (options) {
    var box = document.getElementById("notifications");
    var text = options && options.text;
    if (!box || !text) { return null; }
    var error = Boolean(options.error);
    if (error) {
      // the same refusal twice (the form and a hint it asked for): shown once, the latest
      Array.prototype.forEach.call(box.querySelectorAll("[data-toast-text]"), function (shown) {
        if (shown.textContent === text) { shown.closest(".toast").remove(); }
      });
    }
    var item = document.createElement("div");
    item.className = error ? "toast show align-items-center text-bg-danger border-0" : "toast show";
    if (error) {
      item.setAttribute("role", "alert");
    } else {
      item.setAttribute("role", "status");
      item.setAttribute("aria-live", "polite");
    }
    item.setAttribute("aria-atomic", "true");
    var row = document.createElement("div");
    row.className = "d-flex";
    var body = document.createElement("div");
    body.className = "toast-body";
    if (options.title) {
      var strong = document.createElement("strong");
      strong.textContent = options.title;
      body.appendChild(strong);
      body.appendChild(document.createTextNode(" : "));
    }
    var said = document.createElement("span");
    said.setAttribute("data-toast-text", "");
    said.textContent = text;
    body.appendChild(said);
    if (options.url) {
      var link = document.createElement("a");
      link.href = options.url;
      link.className = "ms-1";
      link.textContent = options.linkText || box.getAttribute("data-see") || "Voir";
      body.appendChild(link);
    }
    var close = document.createElement("button");
    close.type = "button";
    close.className = error ? "btn-close btn-close-white me-2 m-auto" : "btn-close me-2 m-auto";
    close.setAttribute("aria-label", box.getAttribute("data-close") || "Fermer");
    close.addEventListener("click", function () { item.remove(); });
    row.appendChild(body);
    row.appendChild(close);
    item.appendChild(row);
    box.appendChild(item);
    while (box.children.length > MAX_SHOWN) { box.removeChild(box.firstChild); }
    if (!error) {
      // what it announced stays elsewhere (the count in the bar): it goes by itself
      setTimeout(function () {
        if (!item.contains(document.activeElement) && !item.matches(":hover")) { item.remove(); }
      }, STAYS_MS);
    }
    return item;
  };
})();
