"""Requests (demandes): the queue, oldest deadline first, and one request."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request as HttpRequest
from rest_framework.response import Response

from agences.roles import ADMINISTRATOR, NETWORK_DIRECTOR
from agences.selectors import agent_for_user
from relation_client.api.errors import error_responses
from relation_client.api.pagination import RequestQueuePagination
from relation_client.api.permissions import IsStaffAgent
from relation_client.api.serializers.requests import (
    RequestDetailSerializer,
    RequestListQuerySerializer,
    RequestSerializer,
)
from relation_client.touchpoints.models import Request, Touchpoint

TAGS = ["requests"]
NETWORK_WIDE = {NETWORK_DIRECTOR, ADMINISTRATOR}


def _requests(request: HttpRequest):
    """The requests the caller may read: those of their own agency, as on the pages; the
    network director and administrators read every agency's. A token reads as its agent."""
    requests = Request.objects.select_related("customer", "agency", "assignee", "reason", "partner")
    agent = agent_for_user(user=request.user)
    if NETWORK_WIDE.intersection(agent.role_names):
        return requests
    return requests.filter(agency_id=agent.agency_id)


class RequestListView(GenericAPIView):
    permission_classes = [IsStaffAgent]
    required_scopes = {"GET": "requests:read"}
    pagination_class = RequestQueuePagination

    def get_queryset(self):
        return _requests(self.request)

    @extend_schema(
        tags=TAGS,
        operation_id="requests_list",
        summary="File des demandes",
        description="L'échéance la plus ancienne d'abord ; à échéance égale, la priorité du "
        "segment du client. Les demandes de l'agence de l'agent du jeton (ou de la session) ; "
        "toutes les agences pour la direction du réseau et les administrateurs.",
        parameters=[RequestListQuerySerializer],
        responses={200: RequestSerializer(many=True), **error_responses(400)},
    )
    def get(self, request: HttpRequest) -> Response:
        query = RequestListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        queryset = self.get_queryset()
        if "status" in query.validated_data:
            queryset = queryset.filter(status=query.validated_data["status"])
        if "agency" in query.validated_data:
            queryset = queryset.filter(agency=query.validated_data["agency"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(RequestSerializer(page, many=True).data)


class RequestDetailView(GenericAPIView):
    permission_classes = [IsStaffAgent]
    required_scopes = {"GET": "requests:read"}

    def get_queryset(self):
        touchpoints = Touchpoint.objects.select_related("agent", "reason").order_by(
            "-occurred_at", "-id"
        )
        return _requests(self.request).prefetch_related(
            Prefetch("touchpoints", queryset=touchpoints)
        )

    @extend_schema(
        tags=TAGS,
        operation_id="requests_retrieve",
        summary="Lire une demande",
        description="Une demande d'une autre agence répond 404 (sauf direction du réseau).",
        responses={200: RequestDetailSerializer, **error_responses(404)},
    )
    def get(self, request: HttpRequest, pk: int) -> Response:
        return Response(RequestDetailSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data)
