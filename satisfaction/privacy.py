"""What this app holds about a customer, for the DPO's access export and erasure
(registered in SatisfactionConfig.ready through relation_client.privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from relation_client.privacy.registry import column
from satisfaction.models import IncivilityReport, Survey, SurveyAnswer

ERASED = "[effacé]"


# how the DPO's readable document shows each key of the rows below (labels from the models)
ANSWER_COLUMNS = [
    column(SurveyAnswer, "answered_at"),
    column(Survey, "kind", key="survey", label=_("enquête")),
    column(SurveyAnswer, "score"),
    column(SurveyAnswer, "comment"),
    column(SurveyAnswer, "service_rating"),
]
INCIVILITY_COLUMNS = [
    column(IncivilityReport, "occurred_at"),
    column(IncivilityReport, "direction"),
    column(IncivilityReport, "kind"),
    column(IncivilityReport, "severity"),
    column(IncivilityReport, "description"),
    column(IncivilityReport, "witnesses"),
]


def register_privacy(register_exporter) -> None:
    register_exporter(
        "enquêtes",
        satisfaction_export,
        title=_("Enquêtes de satisfaction"),
        columns=ANSWER_COLUMNS,
    )
    register_exporter(
        "incivilités",
        incivility_export,
        title=_("Signalements d'incivilité"),
        columns=INCIVILITY_COLUMNS,
    )


def satisfaction_export(customer) -> list[dict]:
    answers = (
        SurveyAnswer.objects.filter(invitation__customer=customer)
        .select_related("invitation__survey")
        .order_by("answered_at")
    )
    return [
        {
            "answered_at": a.answered_at.isoformat(),
            "survey": a.invitation.survey.kind,
            "score": a.score,
            "comment": a.comment,
            "service_rating": a.service_rating,
        }
        for a in answers
    ]


def incivility_export(customer) -> list[dict]:
    reports = IncivilityReport.objects.filter(customer=customer).order_by("occurred_at")
    return [
        {
            "occurred_at": r.occurred_at.isoformat(),
            "direction": r.direction,
            "kind": r.kind,
            "severity": r.severity,
            "description": r.description,
            "witnesses": r.witnesses,
        }
        for r in reports
    ]


def satisfaction_erase(customer_ids: list[int]) -> None:
    """Free text goes, scores and dates stay: every satisfaction figure is unchanged."""
    SurveyAnswer.objects.filter(invitation__customer_id__in=customer_ids).exclude(
        comment=""
    ).update(comment=ERASED)
    IncivilityReport.objects.filter(customer_id__in=customer_ids).update(
        description=ERASED, witnesses="", line_or_station=""
    )
