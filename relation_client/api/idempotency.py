"""Idempotency-Key for every POST of the API.

The same key with the same body replays the first answer and writes nothing; the same
key with another body is a 422; a duplicate that arrives while the first is still being
processed gets a 409 (the client retries later and then gets the replay). The record is
written in the write's own transaction, so the answer stored is the one committed.

A key is kept 24 hours (RETENTION), as Stripe does: past that it is forgotten, and a
request sent with it again is a new request. The nightly beat job `idempotency_purge`
deletes the forgotten keys; the middleware does not wait for it.
"""

import datetime
import hashlib
import re

from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter

from relation_client.api.authentication import token_from_header
from relation_client.api.models import IdempotencyRecord, token_hash

HEADER = "HTTP_IDEMPOTENCY_KEY"
MAX_KEY_LENGTH = 255
RETENTION = datetime.timedelta(hours=24)
KEY_PATTERN = re.compile(r"[!-~]+")  # visible ASCII: a UUID, a ULID, a job name
IDEMPOTENCY_LOCK = 6201  # advisory lock class: one request per (caller, key) at a time

# for the schema of every POST
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    type={
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": f"^{KEY_PATTERN.pattern}$",
    },
    location=OpenApiParameter.HEADER,
    description=(
        "Clé unique choisie par l'application (ex. un UUID), 255 caractères au plus : la "
        "même requête renvoyée avec la même clé dans les 24 heures rejoue la première "
        "réponse (en-tête Idempotent-Replayed) sans rien enregistrer deux fois ; la même "
        "clé avec un autre corps est refusée (422)."
    ),
)


def _principal(request) -> str | None:
    raw = token_from_header(request.META.get("HTTP_AUTHORIZATION", ""))
    if raw:
        # the hash, not the token: a wrong token simply never matches a record
        return "token:" + token_hash(raw)[:32]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def _error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"code": code, "field": "Idempotency-Key", "detail": detail}, status=status)


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.META.get(HEADER)
        if request.method != "POST" or key is None or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not key.strip():  # sent but empty: the client meant a key, it must not go unprotected
            return _error(400, "invalid_idempotency_key", _("La clé d'idempotence est vide."))
        if len(key) > MAX_KEY_LENGTH:
            return _error(
                400, "invalid_idempotency_key", _("La clé d'idempotence dépasse 255 caractères.")
            )
        if not key.isprintable():  # a NUL could not even be stored
            return _error(
                400,
                "invalid_idempotency_key",
                _("La clé d'idempotence contient un caractère de contrôle."),
            )
        if not KEY_PATTERN.fullmatch(key):  # the schema's pattern, so a client can rely on it
            return _error(
                400,
                "invalid_idempotency_key",
                _(
                    "La clé d'idempotence ne peut contenir que des caractères ASCII visibles, "
                    "sans espace ni accent."
                ),
            )
        principal = _principal(request)
        if principal is None:
            return self.get_response(request)  # the view refuses anonymous callers
        digest = hashlib.sha256(request.path.encode() + b"\n" + request.body).hexdigest()
        # The record and the write commit together (as Stripe does: the first result is
        # the answer). A 500 raised after the commit (the connection lost while answering,
        # a task that could not be published) leaves a stored answer that the retry gets;
        # a 5xx whose write rolled back leaves no record, so the retry is processed anew.
        with transaction.atomic():
            with connection.cursor() as cursor:
                # lock: a duplicate arriving while the first is processed gets a 409 at
                # once instead of waiting on the unique index for the first to commit
                cursor.execute(
                    "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))",
                    [IDEMPOTENCY_LOCK, f"{principal}\n{key}"],
                )
                (locked,) = cursor.fetchone()
            if not locked:
                return _error(
                    409,
                    "idempotency_in_progress",
                    _("Une requête avec cette clé est en cours ; réessayez."),
                )
            records = IdempotencyRecord.objects.filter(principal=principal, key=key)
            # past the window the key is forgotten even if the nightly purge has not run
            # yet: under the lock above, no other request can be replaying this record
            records.filter(created_at__lt=timezone.now() - RETENTION).delete()
            if records.exists():
                return self._replay(principal, key, digest)
            response = self.get_response(request)
            if response.status_code >= 500 or getattr(response, "streaming", False):
                # a server error is not an answer: nothing of it is kept
                if response.status_code >= 500:
                    transaction.set_rollback(True)
                return response
            IdempotencyRecord.objects.create(
                principal=principal,
                key=key,
                request_hash=digest,
                status_code=response.status_code,
                body=bytes(response.content),
                content_type=response.get("Content-Type", ""),
            )
        return response

    @staticmethod
    def _replay(principal: str, key: str, digest: str) -> HttpResponse:
        record = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
        if record is None:  # purged between the two statements: ask for a retry
            return _error(
                409,
                "idempotency_in_progress",
                _("Une requête avec cette clé est en cours ; réessayez."),
            )
        if record.request_hash != digest:
            return _error(
                422,
                "idempotency_key_reused",
                _("Cette clé d'idempotence a déjà servi pour une autre requête."),
            )
        if record.status_code is None:
            return _error(
                409,
                "idempotency_in_progress",
                _("Une requête avec cette clé est en cours ; réessayez."),
            )
        response = HttpResponse(
            bytes(record.body),
            status=record.status_code,
            content_type=record.content_type or "application/json",
        )
        response["Idempotent-Replayed"] = "true"
        return response


def idempotency_purge(*, now: datetime.datetime | None = None) -> int:
    """Forget keys older than the retention period; returns how many."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _detail = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


__all__ = ["IDEMPOTENCY_KEY", "IdempotencyMiddleware", "idempotency_purge"]
