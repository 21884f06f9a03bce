"""Error pages: JSON in the one API error shape under /api/, Django's pages elsewhere."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse(
            {"code": "not_found", "field": None, "detail": _("Ressource introuvable.")}, status=404
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    # the exception itself is logged by Django's request handler, never sent to the client
    if _is_api(request):
        return JsonResponse(
            {
                "code": "server_error",
                "field": None,
                "detail": _("Erreur interne : l'équipe technique est prévenue."),
            },
            status=500,
        )
    return defaults.server_error(request)
