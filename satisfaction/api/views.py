"""POST /api/v1/survey-answers/: the survey partner's answers, in bulk."""

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from relation_client.api.errors import error_responses
from relation_client.api.idempotency import IDEMPOTENCY_KEY
from relation_client.api.permissions import IsStaffAgent
from satisfaction.api.serializers import (
    SurveyAnswerBatchInputSerializer,
    SurveyAnswerBatchResultSerializer,
    SurveyBatchErrorSerializer,
)
from satisfaction.services.partner import (
    AnswerRow,
    BatchRejected,
    RowError,
    survey_answers_upsert,
)


def _problems(value) -> list:
    """ErrorDetail items, however DRF nested them."""
    if isinstance(value, dict):
        return [item for nested in value.values() for item in _problems(nested)]
    if isinstance(value, list):
        return [item for nested in value for item in _problems(nested)]
    return [value]


def _format_errors(errors: dict) -> list[RowError]:
    """DRF's errors as RowErrors: a row's problems carry its index (DRF gives a list's
    errors as {index: {field: [...]}}); the envelope's problems have no row."""
    found = []
    for name, value in errors.items():
        rows = value if name == "answers" and isinstance(value, dict) else {None: value}
        for index, row in rows.items():
            if isinstance(index, int) and isinstance(row, dict):
                for field, problems in row.items():
                    found += [
                        RowError(index, getattr(p, "code", "invalid"), field, str(p))
                        for p in _problems(problems)
                    ]
            elif not isinstance(index, int):
                found += [
                    RowError(None, getattr(p, "code", "invalid"), name, str(p))
                    for p in _problems(row)
                ]
    return sorted(found, key=lambda error: (error.row is not None, error.row or 0))


def _rejected(errors: list[RowError], detail: str) -> Response:
    first = errors[0]
    body = {
        "code": "invalid_batch",
        "field": "answers",
        "detail": detail,
        "errors": [
            {"row": e.row, "code": e.code, "field": e.field, "detail": e.detail} for e in errors
        ],
    }
    if first.row is None:  # the envelope itself is wrong, not a row
        body.update(code=first.code, field=first.field)
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


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
        responses={
            200: SurveyAnswerBatchResultSerializer,
            400: OpenApiResponse(
                SurveyBatchErrorSerializer, description="Lot refusé, erreurs par ligne."
            ),
            **{code: value for code, value in error_responses(post=True).items() if code != 400},
        },
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
        serializer = SurveyAnswerBatchInputSerializer(data=request.data)
        if not serializer.is_valid():
            errors = _format_errors(serializer.errors)
            return _rejected(errors, str(BatchRejected(errors).message))
        rows = [AnswerRow(**row) for row in serializer.validated_data["answers"]]
        try:
            result = survey_answers_upsert(rows=rows)
        except BatchRejected as rejected:
            return _rejected(rejected.errors, str(rejected.message))
        body = {
            "created": result.count("created"),
            "updated": result.count("updated"),
            "unchanged": result.count("unchanged"),
            "results": result.rows,
        }
        return Response(SurveyAnswerBatchResultSerializer(body).data)
