"""Small shapes every endpoint shares: references to related objects, strict input."""

from collections.abc import Mapping

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from agences.models import Agency, Agent, Partner
from relation_client.customers.models import Segment
from relation_client.customers.selectors import agent_available_today
from relation_client.touchpoints.models import Reason

UNKNOWN_FIELD = _("Champ inconnu.")
EMPTY_PARAMETER = _("Ce paramètre ne peut pas être vide : donnez une valeur ou retirez-le.")


# Refuses fields it does not declare: a misspelt field is an error, never dropped.
class InputSerializer(serializers.Serializer):
    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            unknown = {
                name: [ErrorDetail(UNKNOWN_FIELD, code="unknown_field")]
                for name in sorted(set(data) - set(self.fields))
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                error.detail.update(unknown)
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class CodeRelatedField(serializers.SlugRelatedField):
    """A related object given by its code. A NUL character is refused before the lookup:
    PostgreSQL cannot even compare such a text (a 500, otherwise)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            raise serializers.ValidationError(
                ProhibitNullCharactersValidator.message, code=ProhibitNullCharactersValidator.code
            )
        return super().to_internal_value(data)


class SegmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Segment
        fields = ["id", "name", "priority"]


class AgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name"]


class AgentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agent
        fields = ["id", "display_name"]


# Needs the agent's agency and absences loaded (the selectors prefetch them).
class UsualContactSerializer(AgentRefSerializer):
    available_today = serializers.SerializerMethodField(
        help_text=_("Agence ouverte aujourd'hui et agent pas absent.")
    )

    class Meta(AgentRefSerializer.Meta):
        fields = [*AgentRefSerializer.Meta.fields, "available_today"]

    def get_available_today(self, agent: Agent) -> bool:
        return bool(agent_available_today(agent))


class PartnerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name"]


class ReasonRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reason
        fields = ["code", "label"]


class QuerySerializer(serializers.Serializer):
    """Query parameters. DRF reads `?status=` as if the parameter were absent (the default
    applies): a parameter given empty, whose schema wants a value, is refused instead."""

    def to_internal_value(self, data):
        empty = {}
        if hasattr(data, "getlist"):
            empty = {
                name: [ErrorDetail(EMPTY_PARAMETER, code="blank")]
                for name, field in self.fields.items()
                if name in data
                and data.get(name) == ""
                and not getattr(field, "allow_blank", False)
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if empty and isinstance(error.detail, dict):
                error.detail.update(empty)
            raise
        if empty:
            raise serializers.ValidationError(empty)
        return value
