"""Sessions that end on shared counter machines.

A session ends SESSION_IDLE_SECONDS after its last request, and SESSION_MAX_SECONDS after
signing in however busy it stays. The times are kept in the session itself: the sign-in
time is written when the user signs in (`session_start`, on user_logged_in), the last
request's at most every `_touch_every` seconds so a page view does not cost a write.

A page's own background requests (a heartbeat saying who has a request open) are not the
agent at work: a view marked `session_passive` is refused once the session has ended, like
any other, but does not move its idle time, so a page left open still ends its session.
"""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

STARTED, SEEN = "session_started", "session_seen"


def session_start(sender, request, user, **kwargs) -> None:
    now = int(time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now


def session_seconds_left(request) -> int:
    """Seconds before this session ends if nothing else happens (the page's warning)."""
    return seconds_left(request.session)


def seconds_left(session) -> int:
    """The same, for a session store read outside a request (the live event stream)."""
    now = int(time.time())
    started = session.get(STARTED, now)
    seen = session.get(SEEN, now)
    return max(
        0,
        min(seen + settings.SESSION_IDLE_SECONDS, started + settings.SESSION_MAX_SECONDS) - now,
    )


def session_passive(view):
    """Marks a view as a page's background request: it does not postpone the idle limit."""
    view.session_passive = True
    return view


def _touch_every() -> int:
    # a short idle limit (tests, or a strict site) needs the last request to be precise
    return max(1, min(60, settings.SESSION_IDLE_SECONDS // 4))


def _page_to_return_to(request) -> str:
    """Where signing in again leads: the page asked for; for a form sent (POST), the page
    the form was on (its Referer, when it is ours), since the form's own URL only takes a
    POST and the draft waits on that page (static/js/session.js)."""
    if request.method == "POST":
        referer = urlsplit(request.META.get("HTTP_REFERER", ""))
        if referer.path and referer.netloc == request.get_host():
            return referer.path + ("?" + referer.query if referer.query else "")
    return request.get_full_path()


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started, seen = session.get(STARTED), session.get(SEEN)
            if started is None or seen is None:
                # signed in before these limits existed: they count from now
                session[STARTED] = started = now if started is None else started
                session[SEEN] = seen = now
            if (
                now - seen > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_MAX_SECONDS
            ):
                return self._expired(request)
            # touched in process_view, once the view is known: not for a passive one
            request._session_touch = now - seen >= _touch_every()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(request, "_session_touch", False) and not getattr(
            view_func, "session_passive", False
        ):
            request.session[SEEN] = int(time.time())
        return None

    def _expired(self, request):
        logout(request)
        message = _("Votre session a expiré. Reconnectez-vous pour continuer.")
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "session_expired", "field": None, "detail": message}, status=401
            )
        messages.info(request, message)
        if request.headers.get("HX-Request"):
            # htmx would swap the login page into the fragment: send the whole page there,
            # back to the page the agent was on (its draft is kept by the browser)
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            back = current.path + ("?" + current.query if current.query else "")
            back = back or request.get_full_path()
            response = HttpResponse(status=204)
            response["HX-Redirect"] = redirect_to_login(back)["Location"]
            return response
        return redirect_to_login(_page_to_return_to(request))
