"""Bulk ingestion for the ticketing partner: monthly ridership and subscriptions.

A batch is a JSON array, checked whole: a refused batch writes nothing and lists every
bad row. Rows are upserts (customer and month, or contract number): sending the same
batch again changes nothing.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reconquete.api.serializers import (
    BatchErrorSerializer,
    ImportReportSerializer,
    RidershipRowInputSerializer,
    SubscriptionRowInputSerializer,
)
from reconquete.services import ImportRejected, ridership_import, subscriptions_import
from relation_client.api.errors import error_responses
from relation_client.api.idempotency import IDEMPOTENCY_KEY
from relation_client.api.models import ApiToken
from relation_client.api.permissions import IsStaffAgent

MAX_ROWS = 10_000
MANAGE_CAMPAIGNS = "agences.manage_campaigns"


class TicketingWriter(BasePermission):
    """A partner token with ridership:write (checked by IsStaffAgent), or staff who steer
    reconquest: a counter agent does not load ticketing data."""

    message = _("Réservé à la billettique et aux responsables de la reconquête.")

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, ApiToken):
            return True
        return request.user.has_perm(MANAGE_CAMPAIGNS)


def _batch_error(code: str, detail: str, errors=(), count: int | None = None) -> Response:
    body = {"code": code, "field": None, "detail": detail}
    if errors:
        body["errors"] = list(errors)
        body["error_count"] = count if count is not None else len(body["errors"])
    return Response(body, status=400)


def _structural_errors(errors) -> list[dict]:
    """DRF's per-row errors (a list, or a dict keyed by index) as rows of the one batch
    error shape."""
    rows = errors.items() if isinstance(errors, dict) else enumerate(errors)
    items = []
    for row, fields in sorted(rows, key=lambda pair: int(pair[0])):
        for field_name, messages in (fields or {}).items():
            for message in messages:
                field = None if field_name == "non_field_errors" else field_name
                code = getattr(message, "code", None) or "invalid"
                items.append(
                    {"row": int(row), "code": code, "field": field, "detail": str(message)}
                )
    return items


class BulkImportView(APIView):
    permission_classes = [IsStaffAgent, TicketingWriter]
    required_scopes = {"POST": "ridership:write"}
    # 10,000 rows, pretty-printed, exceed the default body limit (RequestBodyLimitMiddleware)
    max_body_size = settings.BULK_UPLOAD_MAX_MEMORY_SIZE
    row_serializer = None
    service = None

    def post(self, request: Request) -> Response:
        if not isinstance(request.data, list):
            return _batch_error("not_a_list", _("Le corps doit être un tableau JSON de lignes."))
        if len(request.data) > MAX_ROWS:
            return _batch_error(
                "too_many_rows",
                _("%(max)s lignes au plus par lot ; découpez l'envoi.") % {"max": MAX_ROWS},
            )
        serializer = self.row_serializer(data=request.data, many=True)
        if not serializer.is_valid():
            items = _structural_errors(serializer.errors)
            return _batch_error(
                "rejected_batch",
                _("Lot refusé : %(count)s erreur(s), rien n'a été enregistré.")
                % {"count": len(items)},
                items,
            )
        try:
            report = self.service(records=enumerate(serializer.validated_data))
        except ImportRejected as rejected:
            items = [
                {"row": e.row, "code": e.code, "field": e.field, "detail": e.detail}
                for e in rejected.errors
            ]
            return _batch_error(rejected.code, str(rejected), items, rejected.total)
        body = ImportReportSerializer(
            {
                "received": report.received,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }
        ).data
        return Response(body, status=200)


BATCH_ERRORS = {
    **error_responses(post=True),
    400: OpenApiResponse(
        BatchErrorSerializer,
        description="Lot refusé (rejected_batch, avec chaque ligne en cause dans errors), "
        "corps qui n'est pas un tableau (not_a_list), lot trop grand (too_many_rows).",
    ),
}


class RidershipBulkView(BulkImportView):
    row_serializer = RidershipRowInputSerializer
    service = staticmethod(ridership_import)

    @extend_schema(
        tags=["ticketing"],
        operation_id="ridership_bulk_upsert",
        summary="Envoyer la fréquentation mensuelle",
        description=(
            "Un tableau de lignes (10 000 au plus) : le client par sa carte ou son contrat, "
            "le mois (AAAA-MM), le nombre de voyages. Mise à jour sur (client, mois) ; "
            "renvoyer le même lot ne change rien. Un lot refusé n'écrit rien."
        ),
        request=RidershipRowInputSerializer(many=True),
        parameters=[IDEMPOTENCY_KEY],
        responses={200: ImportReportSerializer, **BATCH_ERRORS},
        examples=[
            OpenApiExample(
                "Deux mois d'une carte",
                request_only=True,
                value=[
                    {"card": "TCL00420042", "month": "2026-09", "trips": 38},
                    {"card": "TCL00420042", "month": "2026-10", "trips": 12},
                ],
            )
        ],
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


class SubscriptionBulkView(BulkImportView):
    row_serializer = SubscriptionRowInputSerializer
    service = staticmethod(subscriptions_import)

    @extend_schema(
        tags=["ticketing"],
        operation_id="subscriptions_bulk_upsert",
        summary="Envoyer les abonnements",
        description=(
            "Un tableau de contrats (10 000 au plus), mis à jour sur le numéro de contrat. "
            "Le client est trouvé par sa carte, sinon par le numéro de contrat. "
            "Un lot refusé n'écrit rien."
        ),
        request=SubscriptionRowInputSerializer(many=True),
        parameters=[IDEMPOTENCY_KEY],
        responses={200: ImportReportSerializer, **BATCH_ERRORS},
        examples=[
            OpenApiExample(
                "Un abonnement annuel",
                request_only=True,
                value=[
                    {
                        "contract": "ABO-2026-00042",
                        "card": "TCL00420042",
                        "product": "Pass Partout annuel",
                        "start_date": "2026-01-01",
                        "end_date": "2026-12-31",
                        "status": "active",
                        "sales_channel": "web",
                    }
                ],
            )
        ],
    )
    def post(self, request: Request) -> Response:
        return super().post(request)
