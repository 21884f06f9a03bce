"""The phone system's side of the API: routing a caller, posting call events."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from relation_client.telephony.models import CallEventKind, CallState, RouteTarget


class RouteQuerySerializer(serializers.Serializer):
    caller = serializers.CharField(
        max_length=40,
        allow_blank=True,
        help_text=_("Le numéro appelant, tel que l'autocommutateur le voit (vide si masqué)."),
    )
    call_id = serializers.CharField(
        max_length=120,
        required=False,
        help_text=_("L'identifiant de l'appel : l'appel est alors connu dès sa première seconde."),
    )


class RouteCustomerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    salutation = serializers.CharField(help_text=_("Comment l'annoncer et l'accueillir."))


class RouteAgentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class RouteSerializer(serializers.Serializer):
    target = serializers.ChoiceField(choices=RouteTarget.choices)
    extension = serializers.CharField(help_text=_("Le poste à faire sonner (interlocuteur)."))
    queue = serializers.CharField(help_text=_("La file, sinon (agence ou réseau)."))
    customer = RouteCustomerSerializer(allow_null=True)
    agent = RouteAgentSerializer(allow_null=True)
    shared = serializers.BooleanField(help_text=_("Numéro partagé par plusieurs clients."))


class CallEventInputSerializer(serializers.Serializer):
    call_id = serializers.CharField(max_length=120)
    event = serializers.ChoiceField(choices=CallEventKind.choices)
    caller = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")
    extension = serializers.CharField(
        max_length=10,
        allow_blank=True,
        required=False,
        default="",
        help_text=_("Le poste qui sonne, décroche, ou reçoit le transfert."),
    )
    at = serializers.DateTimeField(required=False, help_text=_("Par défaut : maintenant."))


class CallSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    call_id = serializers.CharField()
    state = serializers.ChoiceField(choices=CallState.choices)
    customer = serializers.IntegerField(source="customer_id", allow_null=True)
    agent = serializers.IntegerField(source="agent_id", allow_null=True)
    callback_request = serializers.IntegerField(source="callback_id", allow_null=True)
    duplicate = serializers.BooleanField(help_text=_("Cet événement avait déjà été reçu."))
