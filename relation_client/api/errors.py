"""One error shape for every API answer: {"code", "field", "detail"}.

A validation error also lists each problem in "errors" (the top-level keys repeat the
first one). A suspected duplicate (409) lists the "matches" so that the partner can
decide, then POST again with "confirm_duplicate": true. A bulk endpoint that refuses a
batch answers BatchError's shape, the same on every bulk endpoint (see BatchError).
"""

from collections.abc import Iterable, Iterator

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext
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
# customer_erased: the record was erased at the person's request and is read-only
DOMAIN_STATUS = {
    "possible_duplicate": 409,
    "customer_erased": 409,
    "not_found": 404,
    "forbidden": 403,
}

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


class BatchError(DomainError):
    """A bulk endpoint refused a whole batch and wrote nothing. Every bulk endpoint
    answers it with a 400 in one shape:

        {"code": "invalid_batch", "field": <the list's field, null when the body is the
         list>, "detail": "Lot refusé : N erreur(s)…", "error_count": N,
         "errors": [{"row": <index from 0, null for the batch itself>, "code", "field",
                     "detail"}, …]}

    The causes are always in "errors": a row's (unknown_card, out_of_scale…) or the
    batch's own (not_a_list, empty_batch, too_many_rows, an unknown envelope field).
    `errors` are dicts or objects with row, code, field and detail (the services' row
    errors); `total` counts the errors a service stopped listing (error_count)."""

    def __init__(self, errors: Iterable, *, field: str | None = None, total: int | None = None):
        self.errors = [item if isinstance(item, dict) else _row_item(item) for item in errors]
        self.total = max(total or 0, len(self.errors))
        message = gettext("Lot refusé : %(count)s erreur(s), rien n'a été enregistré.")
        super().__init__("invalid_batch", message % {"count": self.total}, field=field)


def _row_item(error) -> dict:
    return {"row": error.row, "code": error.code, "field": error.field, "detail": str(error.detail)}


# DRF's codes for a list as a whole, renamed to the ones the batch documentation promises
BATCH_CODE_RENAMES = {"empty": "empty_batch", "max_length": "too_many_rows"}


def _batch_items(errors, list_field: str | None) -> list[dict]:
    """A bulk serializer's errors as BatchError items. `list_field` names the list in an
    envelope ({"answers": [...]}); None when the body is the list itself."""
    if list_field is None:
        return _list_items(errors, None)
    items = []
    for name, value in errors.items():
        if name == list_field:
            items += _list_items(value, list_field)
        else:  # the envelope's own fields: not a row
            items += [{"row": None, **item} for item in _flatten(value, name)]
    # the batch's own problems first, then the rows in order (sorted is stable)
    return sorted(items, key=lambda item: (item["row"] is not None, item["row"] or 0))


def _list_items(detail, list_field: str | None) -> list[dict]:
    """The errors of a many=True serializer: one dict of fields per row (a list, or a
    dict keyed by index), or a dict of the list's own errors (not_a_list…)."""
    if isinstance(detail, list):
        rows = list(enumerate(detail))
    elif all(isinstance(key, int) or str(key).isdigit() for key in detail):
        rows = sorted((int(key), value) for key, value in detail.items())
    else:
        items = []
        for item in _flatten(detail, list_field):
            code = BATCH_CODE_RENAMES.get(item["code"], item["code"])
            items.append({"row": None, **item, "code": code})
        return items
    return [
        {"row": index, **item}
        for index, row_errors in rows
        if row_errors
        for item in _flatten(row_errors)
    ]


def batch_validate(serializer: serializers.Serializer, *, field: str | None = None):
    """The validated data of a bulk endpoint's input, or BatchError listing every
    problem (per row, and the batch's own). `field`: the list's field in an envelope."""
    if not serializer.is_valid():
        raise BatchError(_batch_items(serializer.errors, field), field=field)
    return serializer.validated_data


def _domain_response(exc: DomainError) -> Response:
    body = {"code": exc.code, "field": exc.field, "detail": str(exc.message)}
    if isinstance(exc, BatchError):
        body.update(error_count=exc.total, errors=exc.errors)
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


class BatchErrorItemSerializer(ErrorItemSerializer):
    row = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "Position de la ligne dans le lot (0 = première) ; null pour un problème du lot "
            "lui-même (not_a_list, empty_batch, too_many_rows, champ inconnu)."
        ),
    )


class BatchErrorSerializer(ErrorItemSerializer):
    """La réponse 400 de tout envoi en lot (BatchError). Un corps qui n'est pas du JSON
    lisible reçoit l'erreur commune (malformed_json…), sans error_count ni errors."""

    error_count = serializers.IntegerField(
        required=False,
        help_text=_("Nombre total d'erreurs du lot ; errors en liste 1 000 au plus."),
    )
    errors = BatchErrorItemSerializer(
        many=True,
        required=False,
        help_text=_("Chaque erreur : sa ligne, son code, son champ, son message."),
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
# answered by the HTTP server before the application (its own body, its own content type)
URI_TOO_LONG = (
    "Adresse trop longue, refusée par le serveur HTTP avant l'application : raccourcir "
    "les paramètres (une recherche compte au plus 200 caractères)."
)
# a write about a customer erased at the person's request (customers.guards)
CUSTOMER_ERASED = (
    "Fiche effacée à la demande de la personne (customer_erased) : en lecture seule, rien "
    "n'a été enregistré."
)
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
    sessions), and 414 (a URL too long for the server). `body`: the operation reads a JSON body (400, 413, 415); `post`: it also
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
    # any operation: the URL is read before anything else
    result[414] = OpenApiResponse(description=URI_TOO_LONG)
    return result


BATCH_REFUSED = (
    "Lot refusé, rien n'a été enregistré (invalid_batch) : chaque cause dans errors, avec "
    "sa ligne (row) ou null pour le lot lui-même (not_a_list, empty_batch, too_many_rows). "
    "Un corps illisible reçoit l'erreur commune (malformed_json…)."
)


def batch_error_responses() -> dict[int, OpenApiResponse]:
    """Error responses of a bulk endpoint: a POST with a JSON body whose 400 is the one
    batch shape (BatchErrorSerializer)."""
    return {
        **error_responses(post=True),
        400: OpenApiResponse(BatchErrorSerializer, description=BATCH_REFUSED),
    }
