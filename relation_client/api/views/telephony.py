"""Telephony (CTI): the phone system asks where to route a caller and posts call events.
See docs/telephony.md for an Asterisk dial plan."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from relation_client.api.errors import error_responses
from relation_client.api.permissions import IsPhoneSystem
from relation_client.api.serializers.telephony import (
    CallEventInputSerializer,
    CallSerializer,
    RouteQuerySerializer,
    RouteSerializer,
)
from relation_client.telephony.services import call_event_record, call_route, call_routed

TAGS = ["telephony"]


class CallRouteView(APIView):
    permission_classes = [IsPhoneSystem]
    required_scopes = {"GET": "telephony"}

    @extend_schema(
        tags=TAGS,
        operation_id="telephony_route",
        summary="Où router un appelant",
        description=(
            "Le poste de l'interlocuteur habituel s'il est au travail maintenant (compte "
            "actif, agence ouverte, pas d'absence aujourd'hui), sinon la file de son agence "
            "si elle est ouverte, sinon celle du réseau. Avec le nom du client pour "
            "l'annonce. Un numéro masqué ou illisible va à la file du réseau."
        ),
        parameters=[RouteQuerySerializer],
        responses={200: RouteSerializer, **error_responses(400)},
        examples=[
            OpenApiExample(
                "Interlocuteur habituel",
                response_only=True,
                value={
                    "target": "usual_contact",
                    "extension": "2104",
                    "queue": "",
                    "customer": {
                        "id": 42,
                        "name": "Hélène Maréchal",
                        "salutation": "Madame Hélène Maréchal",
                    },
                    "agent": {"id": 7, "display_name": "Camille Rousseau"},
                    "shared": False,
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        query = RouteQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        now = timezone.now()
        caller = query.validated_data["caller"]
        route = call_route(caller=caller, at=now)
        if query.validated_data.get("call_id"):
            call_routed(call_id=query.validated_data["call_id"], caller=caller, route=route, at=now)
        return Response(RouteSerializer(route).data)


class CallEventView(APIView):
    permission_classes = [IsPhoneSystem]
    required_scopes = {"POST": "telephony"}

    @extend_schema(
        tags=TAGS,
        operation_id="telephony_events_create",
        summary="Événement d'appel",
        description=(
            "Sonnerie, décroché, transfert, raccroché, manqué. Le même événement reçu deux "
            "fois ne compte qu'une fois (`duplicate`). La sonnerie sur un poste affiche la "
            "fiche de l'appelant dans le navigateur de l'agent ; un appel manqué destiné à "
            "l'interlocuteur habituel ouvre une demande « à rappeler » dans sa file "
            "(`callback_request`)."
        ),
        request=CallEventInputSerializer,
        responses={201: CallSerializer, 200: CallSerializer, **error_responses(body=True)},
    )
    def post(self, request: Request) -> Response:
        serializer = CallEventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        call, new = call_event_record(
            call_id=data["call_id"],
            kind=data["event"],
            caller=data["caller"],
            extension=data["extension"],
            at=data.get("at"),
        )
        call.duplicate = not new
        return Response(
            CallSerializer(call).data, status=status.HTTP_201_CREATED if new else status.HTTP_200_OK
        )
