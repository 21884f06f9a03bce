"""Demo data of agences beyond the network itself: partners with their commitments,
escalated requests and a partner account, the service academy and the skills matrix.

Called by demo.seed.cycle.demo_seed_cycle, after demo.seed.network's demo_seed (it needs
its agencies, staff and customers). Idempotent: a partner that has
escalated requests, a session or a skill cell that exists, is left as it is.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from agences import roles
from agences.models import (
    Agency,
    Agent,
    AgentSkill,
    Partner,
    PartnerCommitment,
    PartnerMember,
    Skill,
    SkillCategory,
    TrainingAttendance,
    TrainingSession,
)
from agences.months import month_start, previous_month
from demo.seed.network import DEMO_PASSWORD
from relation_client.customers.models import Customer
from relation_client.partners.services import partner_compliance_compute
from relation_client.touchpoints.models import (
    OPEN_STATUSES,
    Direction,
    Outcome,
    Reason,
    Request,
    RequestStatus,
    Touchpoint,
    TouchpointKind,
)
from relation_client.touchpoints.services import request_escalate


@dataclass
class AgencesSeedReport:
    partners: int = 0
    escalated: int = 0
    sessions: int = 0
    skills: int = 0


# --- Partners --------------------------------------------------------------------------

# name, domain, contact, e-mail, phone, commitments (party, title, hours, target %)
PARTNERS = [
    (
        "Objets Trouvés Métropole",
        "Objets perdus",
        "Gérard Pécuchet",
        "objets.trouves@demo.relation-client.fr",
        "04 72 10 20 30",
        [
            ("partner", "Répondre à toute demande transmise sous 48 h", 48, 90),
            ("operator", "Transmettre une description complète de l'objet", None, None),
        ],
    ),
    (
        "Taxis PMR Rhône",
        "Transport adapté",
        "Sandrine Ollier",
        "contact@taxis-pmr.demo.fr",
        "04 78 44 55 66",
        [
            ("partner", "Rappeler le client sous 24 h pour organiser le trajet", 24, 85),
            ("operator", "Prévenir la veille des travaux qui déplacent un arrêt", None, None),
        ],
    ),
    (
        "Centre de relation billettique",
        "Billettique et prélèvements",
        "Yannick Morvan",
        "billettique@demo.relation-client.fr",
        "04 26 00 11 22",
        [("partner", "Régler un litige de prélèvement sous 72 h", 72, 95)],
    ),
]
PARTNER_ACCOUNT = ("partenaire.objets", "Gérard Pécuchet", 0)  # username, name, partner index


def _partners(report: AgencesSeedReport) -> list[Partner]:
    partners = []
    start = datetime.date(timezone.localdate().year - 1, 1, 1)
    for name, domain, contact, email, phone, promises in PARTNERS:
        partner, created = Partner.objects.get_or_create(
            name=name,
            defaults={
                "domain": domain,
                "contact_name": contact,
                "contact_email": email,
                "contact_phone": phone,
            },
        )
        report.partners += created
        for party, title, hours, target in promises:
            PartnerCommitment.objects.get_or_create(
                partner=partner,
                title=title,
                defaults={
                    "party": party,
                    "measure": "answer_delay" if hours else "none",
                    "max_hours": hours,
                    "target_percent": target,
                    "starts_on": start,
                },
            )
        partners.append(partner)
    username, full_name, index = PARTNER_ACCOUNT
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": "Gérard", "last_name": "Pécuchet", "email": PARTNERS[index][3]},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=roles.PARTNER))
    PartnerMember.objects.get_or_create(
        user=user, defaults={"partner": partners[index], "full_name": full_name}
    )
    return partners


ESCALATION_NOTES = {
    "Objets Trouvés Métropole": [
        "Sac à dos rouge oublié dans le métro B, direction Gare d'Oullins",
        "Parapluie noir oublié dans le tram T1 vers 8 h",
        "Portefeuille marron perdu ligne C13",
        "Doudou lapin oublié à bord du bus 38",
    ],
    "Taxis PMR Rhône": [
        "Ascenseur en panne à Bellecour : trajet de substitution demandé",
        "Rampe du bus 37 bloquée : la cliente doit rejoindre l'hôpital",
    ],
    "Centre de relation billettique": [
        "Prélèvement en double ce mois-ci",
        "Abonnement résilié mais toujours prélevé",
    ],
}
# how long each partner tends to take, in hours: (fast, usual, slow)
DELAYS = {
    "Objets Trouvés Métropole": (6, 30, 70),
    "Taxis PMR Rhône": (2, 12, 40),
    "Centre de relation billettique": (20, 50, 110),
}


def _escalations(partners: list[Partner], now: datetime.datetime) -> int:
    """Four months of requests escalated to each partner with no escalation yet, answered
    in a believable time; the last few days' still open."""
    rng = random.Random(4848)
    agencies = list(Agency.objects.order_by("id"))
    customers = list(Customer.objects.order_by("id").values_list("id", flat=True)[:200])
    staff = {}
    for agent in Agent.objects.order_by("id"):
        staff.setdefault(agent.agency_id, agent)
    reasons = {r.code: r for r in Reason.objects.all()}
    reason_of = {
        "Objets Trouvés Métropole": reasons.get("lost_property"),
        "Taxis PMR Rhône": reasons.get("accessibility"),
        "Centre de relation billettique": reasons.get("subscription"),
    }
    if not agencies or not staff or None in reason_of.values():
        return 0
    created = 0
    for partner in partners:
        if Request.objects.filter(partner=partner).exists():
            continue
        fast, usual, slow = DELAYS[partner.name]
        requests, notes = [], []
        for _ in range(44):
            escalated = now - datetime.timedelta(days=rng.uniform(0.2, 120))
            local = timezone.localtime(escalated)
            # during opening hours, Paris time
            escalated = local.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))
            if escalated > now:
                escalated -= datetime.timedelta(days=1)
            hours = rng.triangular(fast, slow, usual)
            answered = escalated + datetime.timedelta(hours=hours)
            still_open = answered > now
            agency = rng.choice(agencies)
            request = Request(
                customer_id=rng.choice(customers) if customers else None,
                agency=agency,
                channel=rng.choice(["phone", "counter", "email"]),
                reason=reason_of[partner.name],
                subject=rng.choice(ESCALATION_NOTES[partner.name]),
                status=RequestStatus.OPEN if still_open else RequestStatus.ANSWERED,
                opened_at=escalated - datetime.timedelta(hours=rng.uniform(0.1, 3)),
                deadline=escalated + datetime.timedelta(days=2),
                partner=partner,
                escalated_at=escalated,
                answered_at=None if still_open else answered,
            )
            requests.append(request)
        Request.objects.bulk_create(requests)
        for request in requests:
            notes.append(
                Touchpoint(
                    kind=TouchpointKind.ESCALATION,
                    customer_id=request.customer_id,
                    channel=request.channel,
                    direction=Direction.OUTBOUND,
                    reason=request.reason,
                    summary=f"Transmise à {partner.name} : {request.subject}",
                    agent=staff.get(request.agency_id),
                    agency_id=request.agency_id,
                    occurred_at=request.escalated_at,
                    outcome=Outcome.ESCALATED,
                    request=request,
                )
            )
        Touchpoint.objects.bulk_create(notes)
        created += len(requests)
        # and today's: open requests of the workspace, escalated the real way
        waiting = Request.objects.filter(
            status__in=OPEN_STATUSES, partner__isnull=True, reason=reason_of[partner.name]
        ).order_by("id")[:2]
        for request in waiting:
            agent = staff.get(request.agency_id)
            if agent is not None:
                request_escalate(request=request, partner=partner, note=request.subject, by=agent)
                created += 1
    return created


# --- Academy and skills ------------------------------------------------------------------

# topic, skill code, days from today (negative: past), hours, trainer, place
SESSIONS = [
    ("Désamorcer un conflit au guichet", "conflits", -150, "7", "Marc Aubry", "Siège, salle Rhône"),
    (
        "Accueillir une personne malvoyante",
        "accessibilite",
        -95,
        "3.5",
        "Association Valentin Haüy",
        "Lyon Part-Dieu",
    ),
    (
        "Répondre sur les réseaux sociaux",
        "reseaux-sociaux",
        -60,
        "3.5",
        "Léa Fontaine",
        "Siège, salle Saône",
    ),
    (
        "Les nouveaux tarifs solidaires",
        "tarifs",
        -20,
        "2",
        "Service tarification",
        "Visioconférence",
    ),
    ("Initiation à la langue des signes", "lsf", 12, "7", "Surdi 69", "Siège, salle Rhône"),
    ("Espagnol de l'accueil", "langue-es", 25, "14", "Institut Cervantes", "Lyon Bellecour"),
    (
        "L'application mobile de A à Z",
        "appli-mobile",
        40,
        "3.5",
        "Équipe digitale",
        "Villeurbanne Gratte-Ciel",
    ),
]
LANGUAGE_SKILLS = {
    "en": "langue-en",
    "es": "langue-es",
    "de": "langue-de",
    "it": "langue-it",
    "ar": "langue-ar",
}


def _academy(now: datetime.datetime, report: AgencesSeedReport) -> None:
    rng = random.Random(1958)
    agents = list(Agent.objects.select_related("user").order_by("id"))
    skills = {s.code: s for s in Skill.objects.all()}
    members = list(PartnerMember.objects.order_by("id"))
    today = timezone.localdate(now)
    for topic, code, days, hours, trainer, place in SESSIONS:
        starts = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(9, 30))
        )
        session, created = TrainingSession.objects.get_or_create(
            topic=topic,
            defaults={
                "skill": skills.get(code),
                "starts_at": starts,
                "duration_hours": Decimal(hours),
                "trainer": trainer,
                "place": place,
                "capacity": 12,
            },
        )
        report.sessions += created
        if not created:
            continue
        past = days < 0
        for agent in rng.sample(agents, k=min(len(agents), rng.randint(3, 6))):
            status = (
                rng.choice(["attended", "attended", "attended", "absent"]) if past else "registered"
            )
            TrainingAttendance.objects.create(session=session, agent=agent, status=status)
        if members and code in {"conflits", "accessibilite", "lsf"}:
            TrainingAttendance.objects.create(
                session=session,
                partner_member=members[0],
                status="attended" if past else "registered",
            )
    assessor = {a.agency_id: a for a in agents if a.user.groups.filter(name=roles.MANAGER).exists()}
    for agent in agents:
        # one generator per person: the same matrix whatever ran before
        rng = random.Random(f"skills:{agent.user.username}")
        held = {}
        for language in agent.languages:
            if language in LANGUAGE_SKILLS:
                held[LANGUAGE_SKILLS[language]] = rng.choice([3, 4])
        for code, skill in skills.items():
            if skill.category != SkillCategory.LANGUAGE and code not in held and rng.random() < 0.5:
                held[code] = rng.choice([1, 2, 2, 3, 3, 4])
        for code, level in held.items():
            _cell, created = AgentSkill.objects.get_or_create(
                agent=agent,
                skill=skills[code],
                defaults={
                    "level": level,
                    "assessed_on": today - datetime.timedelta(days=rng.randint(10, 300)),
                    "assessed_by": assessor.get(agent.agency_id),
                },
            )
            report.skills += created


def demo_seed_agences(*, now: datetime.datetime | None = None) -> AgencesSeedReport:
    now = now or timezone.now()
    report = AgencesSeedReport()
    with transaction.atomic():
        partners = _partners(report)
        report.escalated = _escalations(partners, now)
        # five months of compliance snapshots, as the nightly job would have left them
        month = month_start(timezone.localdate(now))
        for _ in range(5):
            partner_compliance_compute(month=month, now=now)
            month = previous_month(month)
        _academy(now, report)
    return report
