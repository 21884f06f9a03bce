"""Demo data for satisfaction: answers, staff estimates, barometer, pulse, incivilities.

Laid on the demo network's touchpoints (demo.seed.network) so that the dashboard shows
a gap of about the size the French barometer reports — staff overestimate customers'
satisfaction by some 14 points on average — and a much wider one (30+) at Lyon Bellecour.
Idempotent: nothing is added once invitations exist. Bulk inserts, then one compute.
"""

import datetime
import random
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agences import roles
from agences.models import Agency, Agent
from relation_client.touchpoints.models import Touchpoint, TouchpointKind
from satisfaction.common import month_of, token_hash
from satisfaction.models import (
    SCALES,
    AgentEstimate,
    AnswerSource,
    ChannelSampling,
    ExchangeClimate,
    IncivilityDirection,
    IncivilityKind,
    IncivilityPlace,
    IncivilityReport,
    IncivilityStatus,
    PulseMarker,
    PulseResponse,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyKind,
    TeamBarometer,
)
from satisfaction.services.closed_loop import closed_loop_open
from satisfaction.services.indicators import indicators_compute

# agency name: (customers' real satisfaction, staff's estimate), both on 0–100
TARGETS = {
    "Lyon Part-Dieu": (67, 77),
    "Lyon Bellecour": (50, 84),
    "Villeurbanne Gratte-Ciel": (64, 78),
    "Vénissieux Gare": (60, 74),
}
DEFAULT_TARGET = (64, 78)
INVITED = 0.8  # generous for a demo: enough answers per agency and year to show a gap
ANSWERED = 0.5
ESTIMATED = 0.85
SPREAD = 22  # standard deviation of a customer's score, in points
ESTIMATE_SPREAD = 14  # staff's estimates vary less than customers' answers
LOOP_WINDOW = datetime.timedelta(days=30)

GOOD_COMMENTS = [
    "Accueil très agréable, merci pour votre patience.",
    "Réponse claire et rapide, je recommande.",
    "L'agent a pris le temps de m'expliquer le tarif solidaire.",
]
BAD_COMMENTS = [
    "Attente beaucoup trop longue au guichet.",
    "On m'a renvoyé vers le site sans vraiment m'aider.",
    "Toujours pas de réponse à ma réclamation sur le prélèvement en double.",
    "Le bus est encore passé sans s'arrêter, c'est la troisième fois.",
]
INCIVILITIES = [
    (
        IncivilityDirection.AGAINST_STAFF,
        IncivilityKind.INSULT,
        2,
        IncivilityPlace.COUNTER,
        "",
        "Client énervé par le prix du renouvellement, insultes devant la file d'attente.",
    ),
    (
        IncivilityDirection.AGAINST_STAFF,
        IncivilityKind.THREAT,
        3,
        IncivilityPlace.ON_BOARD,
        "Ligne C3, arrêt Gare Saint-Paul",
        "Menaces après un contrôle, témoin : le conducteur.",
    ),
    (
        IncivilityDirection.AGAINST_STAFF,
        IncivilityKind.RUDENESS,
        1,
        IncivilityPlace.PHONE,
        "",
        "Appel très agressif au sujet d'un remboursement refusé.",
    ),
    (
        IncivilityDirection.AGAINST_STAFF,
        IncivilityKind.PHYSICAL,
        4,
        IncivilityPlace.STATION,
        "Métro B, station Gerland",
        "Bousculade volontaire lors d'une opération d'information.",
    ),
    (
        IncivilityDirection.BY_STAFF,
        IncivilityKind.RUDENESS,
        1,
        IncivilityPlace.COUNTER,
        "",
        "Une cliente signale un ton sec lors d'une demande d'attestation.",
    ),
    (
        IncivilityDirection.AGAINST_STAFF,
        IncivilityKind.DISCRIMINATION,
        3,
        IncivilityPlace.ONLINE,
        "",
        "Messages injurieux à caractère raciste sur les réseaux sociaux.",
    ),
]


@dataclass
class SatisfactionSeedReport:
    invitations: int = 0
    answers: int = 0
    estimates: int = 0
    barometers: int = 0
    pulses: int = 0
    incivilities: int = 0
    skipped: bool = False


def _score(rng: random.Random, kind: str, target: float, spread: float = SPREAD) -> int:
    """A score on the kind's scale around a target given on 0–100."""
    low, high = SCALES[kind]
    value = min(100.0, max(0.0, rng.gauss(target, spread)))
    return low + round(value / 100 * (high - low))


def demo_seed_satisfaction() -> SatisfactionSeedReport:
    report = SatisfactionSeedReport()
    if SurveyInvitation.objects.exists():
        report.skipped = True
        return report
    rng = random.Random(5)  # the same demo every time
    now = timezone.now()
    surveys = {sampling.channel: sampling.survey for sampling in ChannelSampling.objects.all()}
    fallback = Survey.objects.filter(kind=SurveyKind.CSAT).first()
    targets = {
        agency.pk: TARGETS.get(agency.name, DEFAULT_TARGET) for agency in Agency.objects.all()
    }
    touchpoints = list(
        Touchpoint.objects.filter(
            kind=TouchpointKind.INTERACTION,
            customer__isnull=False,
            occurred_at__lt=now - datetime.timedelta(days=1),
        )
        .select_related("agent")
        .order_by("id")
    )
    with transaction.atomic():
        invitations, estimates, climates = [], [], []
        for touchpoint in touchpoints:
            real, believed = targets[touchpoint.agency_id]
            survey = surveys.get(touchpoint.channel, fallback)
            if rng.random() < ESTIMATED:
                estimates.append(
                    AgentEstimate(
                        touchpoint=touchpoint,
                        kind=survey.kind,
                        score=_score(rng, survey.kind, believed, ESTIMATE_SPREAD),
                        agent_id=touchpoint.agent_id,
                    )
                )
            if rng.random() < 0.4:
                tense = touchpoint.mood in ("unhappy", "angry")
                climates.append(
                    ExchangeClimate(
                        touchpoint=touchpoint,
                        agent_id=touchpoint.agent_id,
                        agency_id=touchpoint.agency_id,
                        channel=touchpoint.channel,
                        occurred_at=touchpoint.occurred_at,
                        rating=rng.choice([1, 2, 3, 3]) if tense else rng.choice([3, 4, 4, 5, 5]),
                    )
                )
            if rng.random() >= INVITED:
                continue
            sent = touchpoint.occurred_at + datetime.timedelta(hours=2)
            answered = sent + datetime.timedelta(hours=rng.randint(1, 96))
            invitations.append(
                (
                    SurveyInvitation(
                        survey=survey,
                        touchpoint=touchpoint,
                        customer_id=touchpoint.customer_id,
                        agent_id=touchpoint.agent_id,
                        agency_id=touchpoint.agency_id,
                        channel=touchpoint.channel,
                        occurred_at=touchpoint.occurred_at,
                        token_hash=token_hash(secrets.token_urlsafe(24)),
                        sent_at=sent,
                        expires_at=sent + datetime.timedelta(days=survey.validity_days),
                        answered_at=answered
                        if rng.random() < ANSWERED and answered < now
                        else None,
                    ),
                    real,
                )
            )
        SurveyInvitation.objects.bulk_create([row for row, _real in invitations], batch_size=1000)
        # created_at is auto_now_add: set it to what a live run would have written
        SurveyInvitation.objects.filter(pk__in=[row.pk for row, _real in invitations]).update(
            created_at=F("sent_at") - datetime.timedelta(hours=2)
        )
        answers = []
        for invitation, real in invitations:
            if invitation.answered_at is None:
                continue
            kind = invitation.survey.kind
            score = _score(rng, kind, real)
            low, high = SCALES[kind]
            unhappy = (score - low) / (high - low) < 0.4
            comment = ""
            if rng.random() < 0.3:
                comment = rng.choice(BAD_COMMENTS if unhappy else GOOD_COMMENTS)
            answers.append(
                SurveyAnswer(
                    invitation=invitation,
                    score=score,
                    comment=comment,
                    complaint=unhappy and bool(comment) and rng.random() < 0.5,
                    service_rating=(
                        min(5, max(1, round(1 + 4 * rng.gauss(real + 8, SPREAD) / 100)))
                        if invitation.agent_id and rng.random() < 0.6
                        else None
                    ),
                    source=AnswerSource.WEB if rng.random() < 0.8 else AnswerSource.PARTNER,
                    answered_at=invitation.answered_at,
                )
            )
        SurveyAnswer.objects.bulk_create(answers, batch_size=1000)
        AgentEstimate.objects.bulk_create(estimates, batch_size=1000)
        ExchangeClimate.objects.bulk_create(climates, batch_size=1000)
        report.invitations, report.answers = len(invitations), len(answers)
        report.estimates = len(estimates)
        report.barometers, report.pulses = _team(rng, targets, now)
        report.incivilities = _incivilities(rng, now)
        _helene_complains(now)
        # the last month's unhappy customers get their call back, as live answers would
        recent = (
            SurveyAnswer.objects.filter(answered_at__gte=now - LOOP_WINDOW)
            .select_related(
                "invitation__survey",
                "invitation__customer__segment",
                "invitation__customer__usual_contact__agency",
            )
            .order_by("id")
        )
        for answer in recent:
            closed_loop_open(answer=answer)
    indicators_compute()
    return report


def _helene_complains(now: datetime.datetime) -> None:
    """Hélène Dupont-Lefèvre, the demo's best-known customer, left a complaint in the
    survey after her latest exchange: her usual contact has a call-back waiting."""
    invitation = (
        SurveyInvitation.objects.filter(
            customer__first_name="Hélène", customer__last_name="Dupont-Lefèvre"
        )
        .select_related("survey")
        .order_by("-occurred_at")
        .first()
    )
    if invitation is None:
        return
    answered = min(
        now - datetime.timedelta(hours=3), invitation.sent_at + datetime.timedelta(hours=5)
    )
    SurveyInvitation.objects.filter(pk=invitation.pk).update(answered_at=answered)
    low, _high = SCALES[invitation.survey.kind]
    SurveyAnswer.objects.update_or_create(
        invitation=invitation,
        defaults={
            "score": low + 1,
            "comment": "Prélèvement en double toujours pas remboursé, et personne ne me rappelle.",
            "complaint": True,
            "service_rating": 3,
            "source": AnswerSource.WEB,
            "answered_at": answered,
        },
    )


def _months_back(count: int, now: datetime.datetime) -> list[datetime.date]:
    month = month_of(now)
    result = []
    for _ in range(count):
        result.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return result


def _team(rng: random.Random, targets: dict, now: datetime.datetime) -> tuple[int, int]:
    agents = list(Agent.objects.order_by("id"))
    barometers, pulses, markers = [], [], []
    for month in _months_back(12, now):
        for agent in agents:
            real, believed = targets.get(agent.agency_id, DEFAULT_TARGET)
            # the barometer asks for a share of satisfied customers: staff's belief again
            share = round(min(100, max(0, rng.gauss(believed + 4, 8))))
            barometers.append(
                TeamBarometer(
                    agent=agent, agency_id=agent.agency_id, period=month, satisfied_share=share
                )
            )
    for month in _months_back(6, now):
        for agent in agents:
            if rng.random() < 0.1:
                continue  # someone on leave that month
            real, _believed = targets.get(agent.agency_id, DEFAULT_TARGET)
            markers.append(PulseMarker(agent=agent, period=month))
            pulses.append(
                PulseResponse(
                    agency_id=agent.agency_id,
                    period=month,
                    engagement=min(5, max(1, round(rng.gauss(real / 20, 0.8)))),
                    workload=min(5, max(1, round(rng.gauss(3, 1)))),
                    support=min(5, max(1, round(rng.gauss(real / 22, 0.9)))),
                )
            )
    # the answers in another order than the marks: nothing lines them up
    rng.shuffle(pulses)
    TeamBarometer.objects.bulk_create(barometers)
    PulseMarker.objects.bulk_create(markers)
    PulseResponse.objects.bulk_create(pulses)
    return len(barometers), len(pulses)


def _incivilities(rng: random.Random, now: datetime.datetime) -> int:
    # front-line staff: the people customers meet at the counter, on the phone, on board
    agents = list(
        Agent.objects.filter(user__groups__name__in=[roles.AGENT, roles.SUPERVISOR])
        .distinct()
        .order_by("id")
    )
    if not agents:
        return 0
    statuses = [
        IncivilityStatus.REPORTED,
        IncivilityStatus.ACKNOWLEDGED,
        IncivilityStatus.SUPPORT_OFFERED,
        IncivilityStatus.CLOSED,
    ]
    reports = []
    for index in range(14):
        direction, kind, severity, place, line, text = INCIVILITIES[index % len(INCIVILITIES)]
        agent = agents[(index * 3) % len(agents)]
        day = timezone.localdate(now) - datetime.timedelta(days=rng.randint(2, 330))
        occurred = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59)))
        )
        status = statuses[min(3, index // 4)] if index < 12 else IncivilityStatus.REPORTED
        reports.append(
            IncivilityReport(
                direction=direction,
                kind=kind,
                severity=severity,
                place=place,
                line_or_station=line,
                witnesses="Un collègue présent au guichet." if index % 3 == 0 else "",
                description=text,
                occurred_at=occurred,
                agency_id=agent.agency_id,
                agent=agent,
                reported_by=agent,
                status=status,
                acknowledged_at=occurred + datetime.timedelta(hours=4)
                if status != IncivilityStatus.REPORTED
                else None,
                support_offered_at=occurred + datetime.timedelta(days=1)
                if status in (IncivilityStatus.SUPPORT_OFFERED, IncivilityStatus.CLOSED)
                else None,
                support_note="Entretien avec le manager et proposition d'accompagnement psychologique."
                if status in (IncivilityStatus.SUPPORT_OFFERED, IncivilityStatus.CLOSED)
                else "",
                closed_at=occurred + datetime.timedelta(days=7)
                if status == IncivilityStatus.CLOSED
                else None,
            )
        )
    IncivilityReport.objects.bulk_create(reports)
    # created_at is auto_now_add: filed the same day, as a live report would have been
    IncivilityReport.objects.filter(pk__in=[report.pk for report in reports]).update(
        created_at=F("occurred_at") + datetime.timedelta(hours=1)
    )
    return len(reports)
