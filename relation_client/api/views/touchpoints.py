"""Logging an interaction from a partner application or the workspace."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from relation_client.api.errors import CUSTOMER_ERASED, ERROR_DESCRIPTIONS, error_responses
from relation_client.api.idempotency import IDEMPOTENCY_KEY
from relation_client.api.permissions import IsStaffAgent
from relation_client.api.serializers.touchpoints import (
    TouchpointLoggedSerializer,
    TouchpointLogInputSerializer,
)
from relation_client.touchpoints.services import touchpoint_log


class TouchpointLogView(APIView):
    permission_classes = [IsStaffAgent]
    required_scopes = {"POST": "touchpoints:write"}

    @extend_schema(
        tags=["touchpoints"],
        operation_id="touchpoints_create",
        summary="Enregistrer un contact",
        description=(
            "Au nom de l'agent connecté et de son agence. Une question ou une réclamation "
            "entrante sans demande rattachée ouvre une demande, avec l'échéance de son "
            "canal : son identifiant est dans `opened_request`. Refusés : client inconnu "
            "(customer, does_not_exist), canal inconnu (channel, invalid_choice), date "
            "future (occurred_at, future_date) ou invraisemblable (occurred_at, "
            "implausible_date)."
        ),
        request=TouchpointLogInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: TouchpointLoggedSerializer,
            **error_responses(post=True, e409=f"{ERROR_DESCRIPTIONS[409]} Ou : {CUSTOMER_ERASED}"),
        },
        examples=[
            OpenApiExample(
                "Appel entrant",
                request_only=True,
                value={
                    "customer": 42,
                    "channel": "phone",
                    "direction": "inbound",
                    "reason": "lost_property",
                    "summary": "A oublié son écharpe dans le tram T1, arrêt Gratte-Ciel.",
                    "mood": "neutral",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = TouchpointLogInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        touchpoint = touchpoint_log(agent=request.user.agent, **serializer.validated_data)
        attached = serializer.validated_data.get("request")
        opened = touchpoint.request_id if attached is None else None
        body = TouchpointLoggedSerializer(touchpoint, context={"opened_request": opened}).data
        return Response(body, status=status.HTTP_201_CREATED)
