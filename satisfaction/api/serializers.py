"""The survey partner's batch of answers: input rows and the per-row outcome."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from relation_client.api.serializers.common import InputSerializer
from satisfaction.services.partner import BATCH_MAX

# --- input ---------------------------------------------------------------------------------


class SurveyAnswerRowInputSerializer(InputSerializer):
    token = serializers.CharField(
        max_length=100, help_text=_("Le jeton du lien d'enquête envoyé au client.")
    )
    partner_answer_id = serializers.CharField(
        max_length=64,
        required=False,
        allow_null=True,
        help_text=_("Votre identifiant de la réponse : renvoyée, elle est mise à jour."),
    )
    score = serializers.IntegerField(
        help_text=_("Sur l'échelle de l'enquête : CSAT 1–5, NPS 0–10, effort 1–7.")
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    complaint = serializers.BooleanField(
        required=False, default=False, help_text=_("Le client signale une réclamation.")
    )
    service_rating = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("L'accueil de l'agent, de 1 à 5.")
    )
    answered_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("Par défaut maintenant.")
    )


class SurveyAnswerBatchInputSerializer(InputSerializer):
    answers = SurveyAnswerRowInputSerializer(many=True, allow_empty=False, max_length=BATCH_MAX)


# --- output --------------------------------------------------------------------------------


class SurveyAnswerRowResultSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_("Position de la ligne dans le lot, à partir de 0."))
    answer = serializers.IntegerField(source="answer_id")
    status = serializers.ChoiceField(choices=["created", "updated", "unchanged"])
    closed_loop_request = serializers.IntegerField(
        source="loop_request_id",
        allow_null=True,
        help_text=_("La demande de rappel ouverte pour un client insatisfait, ou null."),
    )


class SurveyAnswerBatchResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    results = SurveyAnswerRowResultSerializer(many=True)
