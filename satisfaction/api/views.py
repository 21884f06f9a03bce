"""POST /api/v1/survey-answers/: the survey partner's answers, in bulk."""

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from relation_client.api.errors import BatchError, batch_error_responses, batch_validate
from relation_client.api.idempotency import IDEMPOTENCY_KEY
from relation_client.api.permissions import IsStaffAgent
from satisfaction.api.serializers import (
    SurveyAnswerBatchInputSerializer,
    SurveyAnswerBatchResultSerializer,
)
from satisfaction.services.partner import AnswerRow, BatchRejected, survey_answers_upsert


class SurveyAnswerBatchView(APIView):
    permission_classes = [IsStaffAgent]
    required_scopes = {"POST": "surveys:write"}
    # 1,000 answers with comments of up to 2,000 characters exceed the default body limit
    max_body_size = settings.BULK_UPLOAD_MAX_MEMORY_SIZE

    @extend_schema(
        tags=["surveys"],
        operation_id="survey_answers_upsert",
        summary="Envoyer des réponses d'enquête (en lot)",
        description=(
            "Jusqu'à 1 000 réponses. Chaque ligne désigne son invitation par le jeton du "
            "lien d'enquête ; renvoyée (même jeton, même `partner_answer_id`), elle met à "
            "jour la réponse sans la dupliquer. Le lot est vérifié en entier avant toute "
            "écriture : une seule ligne fausse et rien n'est enregistré, chaque erreur "
            "indiquant sa ligne (`row`, à partir de 0). Refusés : jeton inconnu "
            "(unknown_token), note hors échelle (out_of_scale), lien expiré (expired), "
            "client ayant déjà répondu sur la page (already_answered), doublon dans le lot "
            "(duplicate_in_batch). Un client insatisfait (NPS ≤ 6, CSAT ≤ 2) ou une "
            "réclamation ouvre une demande de rappel, une seule fois par réponse."
        ),
        request=SurveyAnswerBatchInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: SurveyAnswerBatchResultSerializer, **batch_error_responses()},
        examples=[
            OpenApiExample(
                "Deux réponses",
                request_only=True,
                value={
                    "answers": [
                        {
                            "token": "k3v9…",
                            "partner_answer_id": "SURV-2026-0001",
                            "score": 9,
                            "comment": "Très bon accueil à l'agence Part-Dieu.",
                        },
                        {
                            "token": "p0q2…",
                            "score": 2,
                            "comment": "Bus passé sans s'arrêter.",
                            "complaint": True,
                        },
                    ]
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        data = batch_validate(SurveyAnswerBatchInputSerializer(data=request.data), field="answers")
        rows = [AnswerRow(**row) for row in data["answers"]]
        try:
            result = survey_answers_upsert(rows=rows)
        except BatchRejected as rejected:
            raise BatchError(rejected.errors, field="answers") from None
        body = {
            "created": result.count("created"),
            "updated": result.count("updated"),
            "unchanged": result.count("unchanged"),
            "results": result.rows,
        }
        return Response(SurveyAnswerBatchResultSerializer(body).data)
