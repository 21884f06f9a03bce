"""Touchpoints: logging one (input) and the timeline entries (output)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relation_client.api.pagination import KeysetCursorField
from relation_client.api.serializers.common import (
    AgencyRefSerializer,
    AgentRefSerializer,
    CodeRelatedField,
    InputSerializer,
    QuerySerializer,
    ReasonRefSerializer,
)
from relation_client.customers.models import Customer
from relation_client.customers.selectors import TIMELINE_PAGE
from relation_client.touchpoints.models import (
    Channel,
    Direction,
    Gesture,
    Mood,
    Outcome,
    Reason,
    Request,
    Touchpoint,
)

# --- input ---------------------------------------------------------------------------------


class TouchpointLogInputSerializer(InputSerializer):
    customer = serializers.PrimaryKeyRelatedField(
        # what touchpoint_log reads for the request priority and the alerts
        queryset=Customer.objects.select_related("segment", "usual_contact"),
        allow_null=True,
        required=False,
        help_text=_("Identifiant du client ; null si la personne n'a pas donné son nom."),
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        error_messages={"invalid_choice": _("Canal inconnu : « {input} ».")},
    )
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    reason = CodeRelatedField(
        slug_field="code",
        queryset=Reason.objects.filter(active=True),
        help_text=_("Code du motif : information, subscription, fare, complaint…"),
    )
    summary = serializers.CharField()
    occurred_at = serializers.DateTimeField(
        required=False, help_text=_("Par défaut maintenant ; jamais dans le futur.")
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    mood = serializers.ChoiceField(choices=Mood.choices, required=False, allow_blank=True)
    request = serializers.PrimaryKeyRelatedField(
        queryset=Request.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("Demande existante du même client à laquelle rattacher l'échange."),
    )
    open_request = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Ouvrir une demande (true) ou non (false). Absent ou null : selon le motif "
            "(une réclamation en ouvre une par défaut, une information non), pour un échange "
            "entrant dont la réponse n'a pas été donnée sur place."
        ),
    )


class TimelineQuerySerializer(QuerySerializer):
    cursor = KeysetCursorField(
        required=False,
        max_length=200,
        help_text=_("Valeur opaque reprise du lien « next » de la page précédente."),
    )
    size = serializers.IntegerField(
        required=False, min_value=1, max_value=100, default=TIMELINE_PAGE
    )


# --- output --------------------------------------------------------------------------------


class GestureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Gesture
        fields = ["kind", "value", "status"]


# A timeline entry without agency and gesture: needs only agent and reason loaded.
class TouchpointBriefSerializer(serializers.ModelSerializer):
    reason = ReasonRefSerializer()
    agent = AgentRefSerializer(allow_null=True)
    # null for a touchpoint that opened no request (an outbound call, a piece of information)
    request = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Touchpoint
        fields = [
            "id",
            "kind",
            "channel",
            "direction",
            "reason",
            "summary",
            "agent",
            "occurred_at",
            "outcome",
            "mood",
            "request",
        ]


# Needs agent, agency, reason and gesture loaded (timeline_page does).
class TimelineItemSerializer(TouchpointBriefSerializer):
    agency = AgencyRefSerializer()
    gesture = serializers.SerializerMethodField()

    class Meta(TouchpointBriefSerializer.Meta):
        fields = [*TouchpointBriefSerializer.Meta.fields, "agency", "gesture"]

    @extend_schema_field(GestureSerializer(allow_null=True))
    def get_gesture(self, touchpoint: Touchpoint) -> dict | None:
        # a missing reverse one-to-one raises an AttributeError subclass
        gesture = getattr(touchpoint, "gesture", None)
        return GestureSerializer(gesture).data if gesture else None


class TimelinePageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text=_("Page suivante, ou null."))
    results = TimelineItemSerializer(many=True)


# The logged touchpoint and the request it opened; context["opened_request"].
class TouchpointLoggedSerializer(TimelineItemSerializer):
    opened_request = serializers.SerializerMethodField(
        help_text=_("La demande que ce contact a ouverte, ou null.")
    )

    class Meta(TimelineItemSerializer.Meta):
        fields = [*TimelineItemSerializer.Meta.fields, "opened_request"]

    def get_opened_request(self, touchpoint: Touchpoint) -> int | None:
        return self.context.get("opened_request")
