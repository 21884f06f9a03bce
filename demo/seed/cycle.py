"""Demo data of the loyalty cycle: every segment gets a believable round in progress.

demo_seed_cycle() runs after demo.seed.network.demo_seed (it needs its agencies, staff
and customers). It first seeds the partners and the academy (demo.seed.agences), then
the rounds. Idempotent: a segment that has any round is left as it is.

Rounds are built through the cycle's services — the same guards as in real use —
then dated back, so that the board shows rounds started weeks or months ago.
"""

import contextlib
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from agences import roles
from agences.models import Agent, Partner, PartnerCommitment
from demo.seed.agences import PARTNERS, demo_seed_agences
from relation_client.customers.models import Segment
from relation_client.cycle import services
from relation_client.cycle.models import (
    STAGE_ORDER,
    AdaptedService,
    AuditFinding,
    Control,
    Decision,
    PrivilegeAction,
    Round,
    Stage,
    StageTransition,
    WrittenCommitment,
)
from socle.errors import DomainError


@dataclass
class CycleSeedReport:
    rounds: int = 0
    partners: int = 0
    escalated: int = 0
    sessions: int = 0
    skills: int = 0


# --- Rounds ------------------------------------------------------------------------------

# what each segment's rounds hold; "partner" names a partner of PARTNERS
CONTENT = {
    "Personnes à mobilité réduite": {
        "findings": [
            (
                "Être prévenu avant le départ qu'un ascenseur est en panne",
                "touchpoints",
                "Taxis PMR Rhône",
            ),
            ("Un seul interlocuteur pour organiser un trajet accompagné", "workshop", None),
            ("Des annonces visuelles en plus des annonces sonores", "survey", None),
        ],
        "services": [
            (
                "Alerte SMS quand un ascenseur de ses stations habituelles est en panne",
                "Clients PMR inscrits",
            ),
            (
                "Trajet de substitution en taxi adapté pendant la panne",
                "Clients en fauteuil roulant",
            ),
        ],
        "actions": [
            (
                "priority_handling",
                "Traitement prioritaire des demandes PMR au guichet et au téléphone",
            ),
            ("dedicated_contact", "Un interlocuteur dédié dans chaque agence"),
        ],
        "commitment": ("Solution de transport de substitution sous 24 h", "Taxis PMR Rhône"),
        "manual": ("Pannes d'ascenseur annoncées avant le déplacement (%)", 80, [64, 78], True),
        "computed": ("requests_on_time", 95),
        "decisions": [
            (
                "Étendre l'alerte SMS à toutes les stations de métro",
                "L'alerte a réduit les trajets impossibles ; la cible d'annonce n'est pas encore atteinte.",
            ),
        ],
    },
    "Abonnés annuels": {
        "findings": [
            (
                "Comprendre ses prélèvements et les régularisations",
                "touchpoints",
                "Centre de relation billettique",
            ),
            ("Renouveler sans se déplacer en agence", "survey", None),
        ],
        "services": [
            ("Renouvellement en ligne sans nouvelle pièce justificative", "Abonnés déjà connus")
        ],
        "actions": [("offer", "Un mois offert au parrain et au filleul")],
        "commitment": (
            "Régler un litige de prélèvement sous 72 h",
            "Centre de relation billettique",
        ),
        "manual": ("Abonnements renouvelés à l'échéance (%)", 85, [82, 87], True),
        "computed": ("requests_median_delay", 24),
        "decisions": [
            (
                "Relancer par SMS un mois avant l'échéance",
                "Le renouvellement progresse quand l'abonné est prévenu à temps.",
            ),
        ],
    },
    "Scolaires": {
        "findings": [("Remplacer vite une carte perdue en début d'année", "touchpoints", None)],
        "services": [("Permanences dans les lycées en septembre", "Élèves et parents")],
        "actions": [("priority_handling", "Carte remplacée sous 48 h en septembre")],
        "manual": ("Cartes remplacées sous 48 h (%)", 90, [93], True),
        "computed": ("requests_on_time", 90),
        "decisions": [
            (
                "Reconduire les permanences et les ouvrir aux collèges",
                "93 % des cartes remplacées sous 48 h, au-dessus de la cible.",
            )
        ],
    },
    "Seniors": {
        "findings": [
            ("Être servi au guichet sans longue attente debout", "workshop", None),
            ("Des horaires lisibles, en gros caractères", "survey", None),
        ],
        "services": [("Fiches horaires en gros caractères", "Seniors qui le demandent")],
        "actions": [
            ("dedicated_contact", "Un créneau du mardi matin réservé aux seniors en agence")
        ],
        "manual": ("Attente moyenne au guichet le mardi matin (minutes)", 10, [12], False),
        "computed": ("requests_on_time", 90),
        "decisions": [],
    },
    "Plans de mobilité employeur": {
        "findings": [("Une attestation annuelle prête pour l'employeur", "touchpoints", None)],
        "services": [
            (
                "Attestation annuelle envoyée automatiquement en janvier",
                "Salariés abonnés via leur employeur",
            )
        ],
        "actions": [
            ("dedicated_contact", "Un interlocuteur dédié par entreprise de plus de 50 abonnés")
        ],
        "manual": ("Entreprises satisfaites de leur interlocuteur (%)", 80, [], True),
        "computed": ("requests_median_delay", 24),
        "decisions": [],
    },
    "Voyageurs occasionnels": {
        "findings": [("Acheter un ticket sans installer d'application", "survey", None)],
        "services": [],
        "actions": [],
        "manual": ("Achats de tickets par SMS (%)", 20, [], True),
        "computed": ("identification_rate", 60),
        "decisions": [],
    },
    "Visiteurs": {
        "findings": [
            ("Trouver l'information en anglais et en espagnol", "touchpoints", None),
            (
                "Récupérer vite un objet oublié avant de repartir",
                "touchpoints",
                "Objets Trouvés Métropole",
            ),
        ],
        "services": [
            ("Plan du réseau en anglais et en espagnol aux guichets", "Visiteurs étrangers")
        ],
        "actions": [("offer", "Ticket 24 h à tarif réduit avec le pass musées")],
        "commitment": ("Répondre à toute demande transmise sous 48 h", "Objets Trouvés Métropole"),
        "manual": ("Objets rendus avant le départ du visiteur (%)", 50, [], True),
        "computed": ("requests_on_time", 90),
        "decisions": [],
    },
}
GENERIC = {
    "findings": [("Être reconnu et servi par son nom", "workshop", None)],
    "services": [("Une réponse écrite sous 48 h à chaque question", "Tous les clients du segment")],
    "actions": [("priority_handling", "Demandes traitées en priorité à échéance égale")],
    "manual": ("Clients satisfaits de la réponse (%)", 80, [76], True),
    "computed": ("requests_on_time", 90),
    "decisions": [
        ("Former les équipes à la réponse écrite", "La satisfaction reste sous la cible.")
    ],
}
# (stage reached, closed rounds before it), by segment priority order
PLAN = [
    (Stage.CONTROL, 1),
    (Stage.PRIVILEGE, 1),
    (Stage.EVOLVE, 0),
    (Stage.CONTROL, 0),
    (Stage.ADAPT, 0),
    (Stage.IDENTIFY, 0),
    (Stage.PRIVILEGE, 0),
]


def _records(round: Round, stage: str, content: dict, partners: dict, by: Agent, lap: int) -> None:
    """What a stage holds in the demo, for the `lap`-th round of the segment (0 first)."""
    today = timezone.localdate()
    if stage == Stage.IDENTIFY:
        findings = content["findings"]
        for finding, source, partner in findings[lap:] or findings[-1:]:
            services.finding_add(
                round=round,
                by=by,
                finding=finding,
                source=source,
                partners=[partners[partner]] if partner in partners else [],
            )
    elif stage == Stage.ADAPT:
        for what, for_whom in content["services"][lap : lap + 1]:
            services.adapted_service_add(
                round=round, by=by, what=what, for_whom=for_whom, starts_on=today
            )
    elif stage == Stage.PRIVILEGE:
        actions = content["actions"] or GENERIC["actions"]
        for kind, description in actions[lap : lap + 1] or actions[-1:]:
            services.privilege_action_add(
                round=round, by=by, kind=kind, description=description, starts_on=today
            )
        if "commitment" in content and lap == 0:
            title, partner_name = content["commitment"]
            partner = partners.get(partner_name)
            promise = PartnerCommitment.objects.filter(partner=partner, title=title).first()
            services.written_commitment_add(
                round=round,
                by=by,
                title=title,
                starts_on=today,
                partner=partner,
                partner_commitment=promise,
            )
    elif stage == Stage.CONTROL:
        label, target, values, higher = content["manual"]
        code, computed_target = content["computed"]
        computed = services.control_add(
            round=round, by=by, indicator=code, target=Decimal(computed_target)
        )
        # no data for this segment yet: the control waits for its measure
        with contextlib.suppress(DomainError):
            services.control_measure(control=computed, by=by)
        value = values[min(lap, len(values) - 1)] if values else None
        services.control_add(
            round=round,
            by=by,
            indicator="manual",
            label=label,
            target=Decimal(target),
            higher_is_better=higher,
            is_key=True,
            measured_value=Decimal(value) if value is not None else None,
        )
    elif stage == Stage.EVOLVE:
        decisions = content["decisions"] or GENERIC["decisions"]
        measured = list(round.controls.filter(measured_value__isnull=False))
        for decision, rationale in decisions[:1]:
            services.decision_add(
                round=round, by=by, decision=decision, rationale=rationale, controls=measured
            )


def _backdate(round: Round, start: datetime.datetime, end: datetime.datetime) -> None:
    """Spread the round's moves evenly between `start` and `end`; each record is dated
    just after the move into its stage."""
    moves = list(round.transitions.order_by("at", "id"))
    step = (end - start) / max(len(moves), 1)
    entered = {}
    for index, move in enumerate(moves):
        at = start + step * index
        StageTransition.objects.filter(pk=move.pk).update(at=at)
        entered[move.to_stage] = at
    Round.objects.filter(pk=round.pk).update(started_at=start)
    hour = datetime.timedelta(hours=2)
    for model in (AuditFinding, Decision):
        at = entered.get(model.STAGE)
        if at is not None:
            model.objects.filter(round=round).update(recorded_at=at + hour)
    for model in (AdaptedService, PrivilegeAction, WrittenCommitment):
        # a carried item keeps its original's start; a new one starts when recorded
        original = model.objects.filter(pk=OuterRef("carried_from")).values("starts_on")[:1]
        model.objects.filter(round=round, carried_from__isnull=False).update(
            starts_on=Subquery(original), recorded_at=start
        )
        at = entered.get(model.STAGE)
        if at is not None:
            model.objects.filter(round=round, carried_from__isnull=True).update(
                recorded_at=at + hour, starts_on=timezone.localdate(at + hour)
            )
    at = entered.get(Stage.CONTROL)
    if at is not None:
        Control.objects.filter(round=round, carried_from__isnull=True).update(recorded_at=at + hour)
        Control.objects.filter(round=round, measured_at__isnull=False).update(
            measured_at=min(at + datetime.timedelta(days=7), end)
        )


def _run_segment(segment, content, target, laps, by, partners, now, report) -> None:
    # earlier rounds took about four months each; the current one started weeks ago
    current_start = now - datetime.timedelta(days=10 + 12 * STAGE_ORDER.index(target))
    round = services.round_start(segment=segment, by=by)
    report.rounds += 1
    for lap in range(laps + 1):
        final = lap == laps
        goal = target if final else Stage.EVOLVE
        for stage in STAGE_ORDER[: STAGE_ORDER.index(goal) + 1]:
            if stage != Stage.IDENTIFY:
                round = services.round_advance(round=round, to_stage=stage, by=by)
            _records(round, stage, content, partners, by, lap)
        if final:
            _backdate(round, current_start, now)
        else:
            start = current_start - datetime.timedelta(days=120 * (laps - lap))
            end = start + datetime.timedelta(days=110)
            following = services.round_close(round=round, by=by)
            _backdate(round, start, end)
            Round.objects.filter(pk=round.pk).update(closed_at=end)
            round = following
            report.rounds += 1


def demo_seed_cycle(*, now: datetime.datetime | None = None) -> CycleSeedReport:
    now = now or timezone.now()
    report = CycleSeedReport()
    with transaction.atomic():
        seeded = demo_seed_agences(now=now)
        report.partners, report.escalated = seeded.partners, seeded.escalated
        report.sessions, report.skills = seeded.sessions, seeded.skills
        steerer = (
            Agent.objects.filter(user__username="manager.lyon").first()
            or Agent.objects.filter(user__groups__name=roles.MANAGER).first()
        )
        if steerer is None:
            return report  # no staff yet: run demo_seed first
        names = [row[0] for row in PARTNERS]
        by_name = {p.name: p for p in Partner.objects.filter(name__in=names)}
        segments = Segment.objects.order_by("priority", "name")
        for index, segment in enumerate(segments):
            if Round.objects.filter(segment=segment).exists():
                continue
            target, laps = PLAN[index % len(PLAN)]
            content = CONTENT.get(segment.name, GENERIC)
            _run_segment(segment, content, target, laps, steerer, by_name, now, report)
    return report
