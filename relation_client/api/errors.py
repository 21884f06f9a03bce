"""One error shape for every API answer: {"code", "field", "detail"}.

A validation error also lists each problem in "errors" (the top-level keys repeat the
first one). A suspected duplicate (409) lists the "matches" so that the partner can
decide, then POST again with "confirm_duplicate": true.
"""

from collections.abc import Iterator

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from relation_client.customers.services import DuplicateSuspected
from socle.errors import DomainError

# DRF's generic codes, renamed to the ones our documentation promises partners
CODE_RENAMES = {"permission_denied": "forbidden", "parse_error": "malformed_json"}

# a domain code that is not a plain "bad input" (400)
DOMAIN_STATUS = {"possible_duplicate": 409, "not_found": 404, "forbidden": 403}

NOT_FOUND = _("Ressource introuvable.")
MALFORMED_JSON = _("Le corps de la requête n'est pas un JSON valide.")


class ApiNotFound(exceptions.NotFound):
    """A 404 that names its cause and the parameter it comes from (e.g. unknown_phone)."""

    def __init__(self, detail, code: str, field: str | None = None):
        super().__init__(detail, code)
        self.field = field


def _join(path: str | None, key) -> str:
    return f"{path}.{key}" if path else str(key)


def _flatten(detail, path: str | None = None) -> Iterator[dict]:
    """Serializer errors (nested dicts and lists of ErrorDetail) as flat items with a
    dotted field path: "phones.0", "segment", null for non-field errors."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            field = path if key == api_settings.NON_FIELD_ERRORS_KEY else _join(path, key)
            yield from _flatten(value, field)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            nested = isinstance(item, dict | list)
            yield from _flatten(item, _join(path, index) if nested else path)
    else:
        yield {
            "code": getattr(detail, "code", None) or "invalid",
            "field": path,
            "detail": str(detail),
        }


def _domain_response(exc: DomainError) -> Response:
    body = {"code": exc.code, "field": exc.field, "detail": str(exc.message)}
    if isinstance(exc, DuplicateSuspected):
        body["matches"] = [
            {"id": c.pk, "name": c.full_name, "salutation": c.salutation} for c in exc.matches
        ]
    return Response(body, status=DOMAIN_STATUS.get(exc.code, 400))


def api_exception_handler(exc, context) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every handled error in the one JSON shape."""
    if isinstance(exc, DomainError):
        set_rollback()
        return _domain_response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        # a model's full_clean() reached from a service: same shape as a serializer error
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: Django logs it and answers 500

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, exceptions.ValidationError):
        items = list(_flatten(exc.detail)) or [
            {"code": "invalid", "field": None, "detail": str(exc.default_detail)}
        ]
        body = {**items[0], "errors": items}
    else:
        code = getattr(exc.detail, "code", None) or exc.default_code
        code = CODE_RENAMES.get(code, code)
        detail = MALFORMED_JSON if code == "malformed_json" else exc.detail
        body = {"code": code, "field": getattr(exc, "field", None), "detail": str(detail)}
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


# --- The shapes, for the OpenAPI schema ---------------------------------------------------


class ErrorItemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Code lisible par une machine, ex. invalid_phone."))
    field = serializers.CharField(
        allow_null=True, help_text=_("Le champ ou paramètre en cause, ou null.")
    )
    detail = serializers.CharField(
        help_text=_(
            "Message pour une personne, dans la langue de la requête (français par défaut)."
        )
    )


class ErrorSerializer(ErrorItemSerializer):
    errors = ErrorItemSerializer(
        many=True,
        required=False,
        help_text=_("Erreurs de validation : toutes, la première étant reprise au-dessus."),
    )


class DuplicateMatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    salutation = serializers.CharField()


class DuplicateErrorSerializer(ErrorItemSerializer):
    matches = DuplicateMatchSerializer(
        many=True,
        required=False,
        help_text=_("Les fiches proches, pour un doublon probable (possible_duplicate)."),
    )


ERROR_DESCRIPTIONS = {
    400: "Entrée invalide (code et champ en cause).",
    401: "Non authentifié (not_authenticated) ou jeton inconnu ou révoqué (authentication_failed).",
    403: "Jeton sans le droit requis (insufficient_scope), compte sans profil agent "
    "(no_agent_profile) ou rôle en lecture seule (read_only_role).",
    404: "Introuvable (not_found).",
    409: "Requête de même clé d'idempotence en cours (idempotency_in_progress) : réessayer.",
    413: "Corps de requête trop volumineux (payload_too_large) : rien n'a été enregistré.",
    415: "Corps qui n'est pas du JSON (unsupported_media_type) : envoyer "
    "Content-Type: application/json.",
    422: "Clé d'idempotence déjà utilisée pour une autre requête (idempotency_key_reused).",
    429: "Trop de requêtes pour ce jeton (throttled) : réessayer après Retry-After secondes.",
}
BODY_ERRORS = (400, 413, 415)  # what reading a JSON body may answer
IDEMPOTENCY_ERRORS = (409, 422)  # a POST with an Idempotency-Key (idempotency.py)
BAD_REQUEST = (
    "Entrée invalide (code et champ en cause) : JSON mal formé (malformed_json), champ "
    "inconnu (unknown_field), texte invalide (invalid_unicode, null_characters_not_allowed), "
    "valeur hors bornes, mauvais type…"
)


def error_responses(
    *statuses: int,
    body: bool = False,
    post: bool = False,
    duplicates: bool = False,
    **descriptions: str,
) -> dict[int, OpenApiResponse]:
    """Error responses for extend_schema; 401, 403 and 429 are always there (tokens and
    sessions). `body`: the operation reads a JSON body (400, 413, 415); `post`: it also
    takes an Idempotency-Key (409, 422); `duplicates`: its 409 may list the matches of a
    possible duplicate. Keyword arguments such as `e404="…"` replace a default
    description."""
    wanted = {401, 403, 429, *statuses}
    if body or post:
        wanted.update(BODY_ERRORS)
        descriptions.setdefault("e400", BAD_REQUEST)
    if post:
        wanted.update(IDEMPOTENCY_ERRORS)
    result = {}
    for status in sorted(wanted):
        serializer = DuplicateErrorSerializer if status == 409 and duplicates else ErrorSerializer
        description = descriptions.get(f"e{status}", ERROR_DESCRIPTIONS[status])
        result[status] = OpenApiResponse(serializer, description=description)
    return result
