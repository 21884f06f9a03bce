// The agent's desk in real time (relation_client/live): one EventSource on /direct/.
//
// - call.ringing: the caller card of the call (/appels/<id>/fiche/) opens beside the
//   page (role=dialog, focus moved to it, Escape closes it and gives the focus back);
//   call.answered: its state follows; call.ended: the card comes back with the exchange
//   form filled in (phone, inbound, the call's length), Ctrl+Enter saves it;
//   call.missed: the card says so (and where the callback request is). Notes being
//   typed for a previous call stay below the new card.
// - alert: the count in the navigation changes and a toast says what arrived (the page's
//   one toast function, static/js/toasts.js).
// - presence: handed on to static/js/presence.js ("live:presence"): who else has the
//   request open changed.
// - The browser reconnects by itself; "reconnexion…" shows in the bar while it does.
//   A refused stream (signed out, a proxy's error page, a WSGI server's 204) is tried
//   again after 30 s.
// The texts come translated from the page (base.html, #direct).
(function () {
  "use strict";
  var config = document.getElementById("direct");
  var pop = document.getElementById("appel-direct");
  if (!config || !pop || !window.EventSource) { return; }
  var popBody = pop.querySelector("[data-live-body]");
  var indicator = document.getElementById("direct-etat");
  var text = config.dataset;
  var source = null;
  var shownSeq = 0;
  var returnFocus = null;
  var indicatorTimer = null;

  // ---- the connection ----------------------------------------------------------------
  var wasOpen = false;

  function setState(name) {
    // "open" once the server listens for this agent; tests and styles read it
    document.body.dataset.live = name;
    clearTimeout(indicatorTimer);
    if (name === "open") {
      wasOpen = true;
      if (indicator) { indicator.hidden = true; }
      return;
    }
    // never open (a server without the stream, a refusal): nothing is being reconnected
    if (!wasOpen) { return; }
    // discreet: a page being left or a reconnection within a second shows nothing
    indicatorTimer = setTimeout(function () {
      if (indicator && document.body.dataset.live !== "open") { indicator.hidden = false; }
    }, 1500);
  }

  function listen(name, handler) {
    source.addEventListener(name, function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      handler(data || {});
    });
  }

  function connect() {
    setState("connecting");
    source = new EventSource(text.stream);
    source.addEventListener("live.ready", function () { setState("open"); });
    source.addEventListener("error", function () {
      if (source.readyState === EventSource.CLOSED) {
        setState("closed");
        setTimeout(connect, 30000);
      } else {
        setState("reconnecting");
      }
    });
    listen("call.ringing", function (data) { showCall(data.call, false); });
    // answered: the card shown says so (closed, it stays closed until the call ends)
    listen("call.answered", function (data) {
      var shown = popBody.querySelector("[data-call='" + Number(data.call) + "'] [data-call-state]");
      if (shown) { shown.textContent = text.textAnswered; }
    });
    listen("call.ended", function (data) { showCall(data.call, true); });
    listen("call.missed", function (data) { showCall(data.call, false); });
    listen("alert", alertArrived);
    // someone opened or left a request this agent has open: static/js/presence.js asks
    // again who is there
    listen("presence", function (data) {
      document.dispatchEvent(new CustomEvent("live:presence", {detail: data}));
    });
  }

  // ---- the screen pop -----------------------------------------------------------------
  function cardUrl(callId) {
    return text.callCard.replace("/0/", "/" + Number(callId) + "/");
  }

  function showCall(callId, toForm) {
    // events follow each other faster than the cards load: only the last one is shown
    var asked = ++shownSeq;
    fetch(cardUrl(callId), {credentials: "same-origin"})
      .then(function (response) {
        // the session ended: the page goes to the login form, not into the panel
        if (response.redirected) { location.reload(); return null; }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        if (html === null || asked !== shownSeq) { return; }
        var pending = pendingForm();
        popBody.innerHTML = html;
        if (pending) { keepForm(pending); }
        if (window.htmx) { window.htmx.process(popBody); }
        openPop(toForm);
      })
      .catch(function () {
        popBody.textContent = text.textError;
        openPop(false);
      });
  }

  // back-to-back calls: notes being typed for the previous call are kept below the new
  // card (the form still saves to its own call), never thrown away
  function pendingForm() {
    var form = popBody.querySelector("form[data-live-exchange]");
    var area = form && form.querySelector("textarea");
    return area && area.value !== area.defaultValue ? form : null;
  }

  function keepForm(form) {
    var fresh = popBody.querySelector("form[data-live-exchange]");
    if (fresh && fresh.action === form.action) {
      fresh.replaceWith(form);  // the same call's form: the agent's text wins
      return;
    }
    var previous = document.createElement("div");
    previous.className = "border-top mt-3 pt-2";
    previous.setAttribute("data-previous-call", "");
    previous.appendChild(form);
    popBody.appendChild(previous);
  }

  function openPop(toForm) {
    if (pop.hidden) {
      returnFocus = document.activeElement;
      pop.hidden = false;
    }
    var summary = toForm && popBody.querySelector("form[data-live-exchange] textarea");
    if (summary) {
      summary.focus();
      summary.setSelectionRange(summary.value.length, summary.value.length);
    } else {
      pop.focus();
    }
  }

  function closePop() {
    pop.hidden = true;
    if (returnFocus && returnFocus !== document.body && document.contains(returnFocus)) {
      returnFocus.focus();
    }
    returnFocus = null;
  }

  pop.querySelector("[data-live-close]").addEventListener("click", closePop);
  document.addEventListener("keydown", function (event) {
    if (pop.hidden) { return; }
    var inside = pop.contains(document.activeElement);
    if (event.key === "Escape" && (inside || document.activeElement === document.body)) {
      event.preventDefault();
      closePop();
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && inside) {
      var form = popBody.querySelector("form[data-live-exchange]");
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
    }
  });
  // saved, or refused: the answer replaced the form; the focus goes where to look
  pop.addEventListener("htmx:afterSwap", function () {
    var invalid = popBody.querySelector(".is-invalid");
    var status = popBody.querySelector("[role='status']");
    if (invalid) { invalid.focus(); } else if (status) { pop.focus(); }
  });

  // ---- alerts ---------------------------------------------------------------------------
  // the bar's badges are always in the page (templates/base.html), hidden at zero
  function setCount(name, count) {
    if (typeof count !== "number") { return; }
    var badge = document.querySelector("[data-live-count='" + name + "']");
    if (!badge) { return; }
    var value = badge.querySelector("[data-live-count-value]");
    if (value) { value.textContent = String(count); }
    badge.hidden = !count;
  }
  function setAlertCount(count) { setCount("alerts", count); }

  function alertArrived(data) {
    setAlertCount(data.count);
    // the page's one toast function and container (static/js/toasts.js)
    if (window.rcToast) {
      window.rcToast({title: text.textAlert, text: String(data.message || ""), url: data.url});
    }
  }

  connect();
})();
