"""Shapes of the ticketing partner's bulk endpoints: one input row and the report (a
refused batch has the shape every bulk endpoint shares: BatchErrorSerializer)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from relation_client.api.serializers.common import InputSerializer

_OPTIONAL_NUMBER = {"required": False, "allow_blank": True, "allow_null": True, "max_length": 40}


class RidershipRowInputSerializer(InputSerializer):
    card = serializers.CharField(**_OPTIONAL_NUMBER, help_text=_("Numéro de carte (ou contract)."))
    contract = serializers.CharField(
        **_OPTIONAL_NUMBER, help_text=_("Numéro de contrat (ou card).")
    )
    month = serializers.CharField(max_length=10, help_text=_("Mois, AAAA-MM."))
    # bounds checked by the import with the other rules (negative_trips, implausible_trips)
    trips = serializers.IntegerField(help_text=_("Nombre de voyages du mois, 0 ou plus."))
    # checked by the import with the other rules (unknown_line, invalid_validations)
    lines = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        help_text=_(
            "Facultatif : validations du mois par ligne, par nom court de ligne "
            '({"C3": 12, "T1": 4}). Rattache le client aux lignes qu\'il emprunte.'
        ),
    )


class SubscriptionRowInputSerializer(InputSerializer):
    contract = serializers.CharField(max_length=40, help_text=_("Numéro de contrat : la clé."))
    card = serializers.CharField(
        **_OPTIONAL_NUMBER,
        help_text=_("Numéro de carte du client ; sans carte, le contrat désigne le client."),
    )
    product = serializers.CharField(max_length=200)
    start_date = serializers.CharField(max_length=10, help_text=_("AAAA-MM-JJ ou JJ/MM/AAAA."))
    end_date = serializers.CharField(
        max_length=10, required=False, allow_blank=True, allow_null=True
    )
    status = serializers.CharField(
        max_length=20, help_text=_("active, ended, cancelled, suspended")
    )
    sales_channel = serializers.CharField(
        max_length=20, help_text=_("counter, web, app, phone, machine, employer")
    )


class ImportReportSerializer(serializers.Serializer):
    received = serializers.IntegerField(help_text=_("Lignes reçues."))
    created = serializers.IntegerField(help_text=_("Lignes nouvelles."))
    updated = serializers.IntegerField(help_text=_("Lignes modifiées."))
    unchanged = serializers.IntegerField(help_text=_("Lignes identiques à l'existant."))
