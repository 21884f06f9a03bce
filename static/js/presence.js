// Who else has this request open (relation_client/touchpoints/presence.py), on the request
// page: « Camille Martin consulte aussi cette demande. »
//
// - The page says it is here every data-presence-every seconds (a POST that does not
//   postpone the session's end: agences.sessions.session_passive), and the answer is the
//   sentence to show ("" alone).
// - Someone arriving or leaving sends a "presence" event on the live stream (live.js hands
//   it on as "live:presence"): the page asks again at once instead of at its next beat.
// - Leaving the page, or hiding it (another tab), says so (a beacon); coming back says it
//   is here again.
// The sentence is replaced only when it changes: the region is read out (role=status). It
// is hidden while the agent is alone; shown, it gets its text a moment later, once screen
// readers follow it.
(function () {
  "use strict";
  var box = document.querySelector("[data-presence]");
  if (!box || !window.fetch) { return; }
  var SHOWN_THEN_SAID_MS = 100;
  var requestId = Number(box.dataset.presenceRequest);
  var every = Math.max(5, Number(box.dataset.presenceEvery) || 15) * 1000;
  var timer = null;
  var stopped = false;

  var saying = null;

  function show(text) {
    text = text || "";
    clearTimeout(saying);
    if (!text) {
      box.hidden = true;
      box.textContent = "";
    } else if (box.hidden) {
      box.textContent = "";
      box.hidden = false;
      saying = setTimeout(function () { box.textContent = text; }, SHOWN_THEN_SAID_MS);
    } else if (box.textContent !== text) {
      box.textContent = text;
    }
  }

  function beat() {
    if (stopped || document.visibilityState === "hidden") { return; }
    fetch(box.dataset.presence, {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRFToken": box.dataset.csrf, "Accept": "application/json"}
    })
      .then(function (response) {
        // the session ended (the login page), or the request is no longer ours: stop;
        // session.js takes the page to the login form
        if (response.redirected || response.status === 403 || response.status === 404) {
          stopped = true;
          show("");
          return null;
        }
        return response.ok ? response.json() : null;
      })
      .then(function (data) { if (data) { show(data.text); } })
      .catch(function () { /* the server is away: the next beat tries again */ });
  }

  function start() {
    clearInterval(timer);
    beat();
    timer = setInterval(beat, every);
  }

  function leave() {
    clearInterval(timer);
    timer = null;
    if (stopped || !navigator.sendBeacon) { return; }
    var form = new FormData();
    form.append("csrfmiddlewaretoken", box.dataset.csrf);
    navigator.sendBeacon(box.dataset.presenceLeave, form);
  }

  document.addEventListener("live:presence", function (event) {
    if (event.detail && Number(event.detail.request) === requestId && timer) { beat(); }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { leave(); } else { start(); }
  });
  window.addEventListener("pagehide", leave);
  // back from the browser's history cache: here again
  window.addEventListener("pageshow", function (event) { if (event.persisted) { start(); } });

  // the page was just served with the sentence and marked us here: the next beat waits
  timer = setInterval(beat, every);
})();
