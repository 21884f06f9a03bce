"""Error answers: JSON in the one API error shape under /api/, French pages elsewhere; and
the guard that refuses an oversized request body before anything reads it; the answer
to a page POST committed although its answer could not be read.

The 403, 404 and CSRF pages are the site's layout (templates/403.html, 404.html) with the
reason and a way back; static/js/desk.js reads the reason (`data-error-reason`) into a
toast when htmx gets one of them. The 500 page (templates/500.html) is rendered by
Django's own handler with no request context: no context processor, no database."""

import logging
import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

MEBIBYTE = 1024 * 1024


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _api_error(status: int, code: str, detail: str, field: str | None = None) -> JsonResponse:
    return JsonResponse({"code": code, "field": field, "detail": detail}, status=status)


def _page(status: int, title: str, message: str) -> HttpResponse:
    # self-contained, as Django's own error pages: the request never reached a view, so
    # the base template's context (the agent, the navigation) is not there
    html = format_html(
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{}</title></head>'
        "<body><h1>{}</h1><p>{}</p></body></html>",
        title,
        title,
        message,
    )
    return HttpResponse(html, status=status)


def _megabytes(size: int) -> str:
    return f"{size / MEBIBYTE:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def payload_too_large(request, limit: int) -> HttpResponse:
    detail = _(
        "Le corps de la requête dépasse la limite de %(size)s Mo : rien n'a été enregistré."
    ) % {"size": _megabytes(limit)}
    if _is_api(request):
        return _api_error(413, "payload_too_large", detail)
    return _page(
        413,
        _("Formulaire trop volumineux"),
        _(
            "Le formulaire envoyé dépasse %(size)s Mo : rien n'a été enregistré. Revenez en "
            "arrière et raccourcissez le texte saisi."
        )
        % {"size": _megabytes(limit)},
    )


def bad_request(request, exception=None):
    """handler400: a request Django refused while reading it (too many form fields,
    unreadable body…)."""
    if isinstance(exception, RequestDataTooBig):
        return payload_too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if _is_api(request):
        return _api_error(400, "bad_request", _("Requête invalide."))
    return _page(
        400,
        _("Requête invalide"),
        _(
            "La requête envoyée est invalide : rien n'a été enregistré. Revenez en arrière et "
            "réessayez."
        ),
    )


# get_object_or_404's own message, in English and naming a model: not for the person
_DJANGO_NOT_FOUND = re.compile(r"^No .* matches the given query\.$")


def _reason(exception) -> str:
    """The message a view gave its PermissionDenied or Http404 (French, for the person),
    or "" when it gave none (a URL that matches nothing carries a dict)."""
    message = exception.args[0] if exception is not None and exception.args else ""
    if not isinstance(message, str) or _DJANGO_NOT_FOUND.match(message):
        return ""
    return message


def _back(request) -> str:
    """The page the person came from, when it is one of ours and not this one."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return "" if referer == request.build_absolute_uri() else referer


def permission_denied(request, exception=None):
    reason = _reason(exception) or _("Votre rôle ne permet pas d'ouvrir cette page.")
    if _is_api(request):
        return _api_error(403, "permission_denied", reason)
    return render(request, "403.html", {"reason": reason, "back": _back(request)}, status=403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form was sent with a token that is no longer valid (signed
    in again meanwhile, in another tab) or from elsewhere. Django's `reason` is for the
    log, in English."""
    message = _(
        "Le formulaire n'est plus valable (vous vous êtes peut-être reconnecté entre-temps) : "
        "rien n'a été enregistré. Rechargez la page, puis recommencez."
    )
    if _is_api(request):
        return _api_error(403, "csrf_failed", message)
    return render(request, "403.html", {"reason": message, "back": _back(request)}, status=403)


def not_found(request, exception=None):
    if _is_api(request):
        return _api_error(404, "not_found", _("Ressource introuvable."))
    context = {"reason": _reason(exception), "back": _back(request)}
    return render(request, "404.html", context, status=404)


def server_error(request):
    # the exception itself is logged by Django's request handler, never sent to the client
    if _is_api(request):
        return _api_error(
            500, "server_error", _("Erreur interne : l'équipe technique est prévenue.")
        )
    # templates/500.html with no request context: nothing that could query a database
    # that may be the very thing that failed
    return defaults.server_error(request)


def _content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # what Django's request makes of it too: nothing is read


def _view_limit(request) -> int | None:
    """The body size a view allows beyond the default (`max_body_size`), if it says so."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    return getattr(view_class, "max_body_size", None)


class RequestBodyLimitMiddleware:
    """A body above its limit is refused with a 413 before any middleware or view reads it,
    so nothing is parsed, let alone saved. The limit is DATA_UPLOAD_MAX_MEMORY_SIZE, or
    more for a view that declares `max_body_size` (the bulk imports).

    Under /api/, a body with no Content-Type is a 415: DRF would otherwise parse it as
    empty, and a PATCH would answer 200 having changed nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _content_length(request)
        default = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length and _is_api(request) and not request.META.get("CONTENT_TYPE"):
            return _api_error(
                415,
                "unsupported_media_type",
                _("Corps sans type : envoyez du JSON avec « Content-Type: application/json »."),
            )
        if default is None or length <= default:
            return self.get_response(request)
        limit = _view_limit(request) or default
        if length > limit:
            return payload_too_large(request, limit)
        # a bulk endpoint allowed more than the default: read the body now, within the
        # view's limit, into the cache Django's `request.body` fills itself, so that
        # Django's check against the default does not refuse it later
        request._body = request.read()
        return self.get_response(request)


def committed_anyway(request, *, url: str, message: str) -> HttpResponse:
    """The answer to a page POST whose change is committed but whose re-read for the
    answer failed (the database connection lost in between): a success all the same,
    never a 500 that would have the agent record it twice. The next page reads afresh."""
    logger.warning("Committed, but the answer could not be read: %s", request.path, exc_info=True)
    messages.success(request, message)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
