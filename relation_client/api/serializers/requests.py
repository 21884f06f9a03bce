"""Requests (demandes): the queue filters (input) and the request itself (output)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agences.models import Agency
from relation_client.api.serializers.common import (
    AgencyRefSerializer,
    AgentRefSerializer,
    PartnerRefSerializer,
    QuerySerializer,
    ReasonRefSerializer,
)
from relation_client.api.serializers.touchpoints import TouchpointBriefSerializer
from relation_client.customers.models import Customer
from relation_client.touchpoints.models import Request, RequestStatus


class RequestListQuerySerializer(QuerySerializer):
    status = serializers.ChoiceField(
        choices=RequestStatus.choices, required=False, help_text=_("Par défaut : tous.")
    )
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, help_text=_("Identifiant de l'agence.")
    )


class CustomerRefSerializer(serializers.ModelSerializer):
    salutation = serializers.CharField(read_only=True)

    class Meta:
        model = Customer
        fields = ["id", "salutation"]


# Needs customer, agency, assignee, reason and partner loaded.
class RequestSerializer(serializers.ModelSerializer):
    customer = CustomerRefSerializer(allow_null=True)
    agency = AgencyRefSerializer()
    assignee = AgentRefSerializer(allow_null=True)
    reason = ReasonRefSerializer()
    partner = PartnerRefSerializer(allow_null=True)
    overdue = serializers.SerializerMethodField(
        help_text=_("Toujours sans réponse après son échéance.")
    )

    class Meta:
        model = Request
        fields = [
            "id",
            "customer",
            "agency",
            "assignee",
            "channel",
            "reason",
            "subject",
            "status",
            "deadline",
            "priority",
            "overdue",
            "opened_at",
            "answered_at",
            "closed_at",
            "breached_at",
            "partner",
            "escalated_at",
        ]

    def get_overdue(self, request: Request) -> bool:
        return request.is_open and request.deadline < timezone.now()


# Also the touchpoints attached to the request, newest first.
class RequestDetailSerializer(RequestSerializer):
    touchpoints = TouchpointBriefSerializer(many=True)

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "touchpoints"]
