"""Bulk ingestion for the ticketing partner: monthly ridership and subscriptions.

A batch is a JSON array, checked whole: a refused batch writes nothing and lists every
bad row, in the shape every bulk endpoint shares (relation_client.api.errors.BatchError).
Rows are upserts (customer and month, or contract number): sending the same batch again
changes nothing.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agences.permissions import MANAGE_CAMPAIGNS
from reconquete.api.serializers import (
    ImportReportSerializer,
    RidershipRowInputSerializer,
    SubscriptionRowInputSerializer,
)
from reconquete.services import ImportRejected, ridership_import, subscriptions_import
from relation_client.api.errors import BatchError, batch_error_responses, batch_validate
from relation_client.api.idempotency import IDEMPOTENCY_KEY
from relation_client.api.models import ApiToken
from relation_client.api.permissions import IsStaffAgent

MAX_ROWS = 10_000


class TicketingWriter(BasePermission):
    """A partner token with ridership:write (checked by IsStaffAgent), or staff who steer
    reconquest: a counter agent does not load ticketing data."""

    message = _("Réservé à la billettique et aux responsables de la reconquête.")

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, ApiToken):
            return True
        return request.user.has_perm(MANAGE_CAMPAIGNS)


class BulkImportView(APIView):
    permission_classes = [IsStaffAgent, TicketingWriter]
    required_scopes = {"POST": "ridership:write"}
    # 10,000 rows, pretty-printed, exceed the default body limit (RequestBodyLimitMiddleware)
    max_body_size = settings.BULK_UPLOAD_MAX_MEMORY_SIZE
    row_serializer = None
    service = None

    def post(self, request: Request) -> Response:
        rows = batch_validate(
            self.row_serializer(
                data=request.data, many=True, allow_empty=False, max_length=MAX_ROWS
            )
        )
        try:
            report = self.service(records=enumerate(rows))
        except ImportRejected as rejected:
            raise BatchError(rejected.errors, total=rejected.total) from None
        body = ImportReportSerializer(
            {
                "received": report.received,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }
        ).data
        return Response(body, status=200)


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
        responses={200: ImportReportSerializer, **batch_error_responses()},
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
        responses={200: ImportReportSerializer, **batch_error_responses()},
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
