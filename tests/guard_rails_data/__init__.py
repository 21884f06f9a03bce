"""The data set of the query-count guard rails (tests/test_query_guard_rails.py); the rows
the figures read are grown in grow_figures.py.

`world_build()` lays down the people and the objects every page is opened on (Lyon's
team, a partner, Hélène and her request, a campaign, a loyalty-cycle round…);
`world_grow(w, start, stop)` then adds rows number `start` to `stop - 1` to *every* list
a page shows — customers, touchpoints on Hélène, requests in the queue, alerts,
gestures, agencies, partners, escalated requests, training sessions, skills, reconquest
cases and targets, campaigns, survey answers, incivility reports, cycle segments and
records, audit events — so that the same pages can be measured with a few rows, then
with many. `world_recompute()` rewrites the snapshot rows the dashboards read.

Writes go through the services where a page's rows come from one (touchpoint_log,
gesture_grant, alert_raise, the cycle's records…), and through bulk_create where the
rows are plain (ridership, survey answers, audit events). Data is French, with accents.
"""

import datetime
import secrets
from decimal import Decimal

from django.utils import timezone

from agences import roles
from agences.models import Agency, Agent, Partner, PartnerMember, Skill, TrainingSession
from reconquete.models import Campaign, CampaignStatus, ReconquestSettings
from relation_client.api.services import api_token_create
from relation_client.customers.consents import consent_record
from relation_client.customers.models import Segment
from relation_client.cycle.models import Stage
from relation_client.touchpoints.models import Direction, Outcome, Reason, Touchpoint
from relation_client.touchpoints.services import (
    alert_raise,
    gesture_grant,
    request_escalate,
    touchpoint_log,
)
from satisfaction.models import Survey
from satisfaction.services.incivility import incivility_report
from tests.cycle.conftest import bring_round_to
from tests.guard_rails_data.common import (
    AGENCIES,
    COLLEAGUES,
    FIRST_NAMES,
    LAST_NAMES,
    SHARED_PHONE,
    SKILL_SOUGHT,
    World,
    _customer,
    _staff,
    _user,
    in_last_month,
    last_month,
    paris_now,
)
from tests.guard_rails_data.grow_figures import (
    _grow_audit,
    _grow_cycle,
    _grow_partners_and_academy,
    _grow_reconquest,
    _grow_satisfaction,
    world_recompute,
)

__all__ = [
    "SHARED_PHONE",
    "SKILL_SOUGHT",
    "World",
    "last_month",
    "paris_now",
    "world_build",
    "world_grow",
    "world_recompute",
]


def world_build() -> World:
    w = World()
    now = timezone.now()
    w.lyon = Agency.objects.create(
        name="Lyon Part-Dieu", city="Lyon", address="Place Charles-Béraudier, 69003 Lyon"
    )
    w.villeurbanne = Agency.objects.create(name="Villeurbanne Gratte-Ciel", city="Villeurbanne")
    w.agent = _staff("camille", "Camille Rousseau", roles.AGENT, w.lyon)
    w.supervisor = _staff("nathalie", "Nathalie Girard", roles.SUPERVISOR, w.lyon)
    w.manager = _staff("francois", "François Lemaire", roles.MANAGER, w.lyon)
    w.director = _staff("isabelle", "Isabelle Morel", roles.NETWORK_DIRECTOR, w.lyon)
    w.dpo = _staff("bertrand", "Bertrand Lefort", roles.DPO, w.lyon)
    w.partner = Partner.objects.create(name="Objets Trouvés Métropole", domain="Objets perdus")
    w.partner_user = _user("gerard", roles.PARTNER)
    PartnerMember.objects.create(
        partner=w.partner, full_name="Gérard Pécuchet", user=w.partner_user
    )
    w.token = {}
    for scope in ("customers:read", "requests:read"):
        _token, w.token[scope] = api_token_create(
            name=f"Billettique ({scope})", agent=w.agent, scopes=[scope]
        )

    w.helene = _customer(
        "Hélène",
        "Dupont-Lefèvre",
        w.lyon,
        civility="mme",
        phones=["06 12 34 56 78"],
        emails=["helene.dupont@exemple.fr"],
        cards=["TCL 0042 1968"],
        usual_contact=w.agent,
        segment=Segment.objects.get(name="Seniors"),
    )
    w.information = Reason.objects.get(code="information")
    # a question that opens a request (a piece of information opens none by default)
    w.question = Reason.objects.get(code="subscription")
    w.request = touchpoint_log(
        agent=w.agent,
        customer=w.helene,
        channel="phone",
        reason=w.question,
        summary="Carte Técély bloquée après le rechargement",
        occurred_at=now - datetime.timedelta(hours=3),
    ).request
    w.escalated = touchpoint_log(
        agent=w.agent,
        customer=w.helene,
        channel="counter",
        reason=Reason.objects.get(code="lost_property"),
        summary="Parapluie oublié dans le tram T1",
        occurred_at=now - datetime.timedelta(hours=2),
    ).request
    request_escalate(
        request=w.escalated, partner=w.partner, note="Parapluie bleu, rame 812.", by=w.agent
    )

    w.session = TrainingSession.objects.create(
        topic="Accueil des personnes malentendantes",
        starts_at=now + datetime.timedelta(days=10),
        duration_hours=Decimal("3"),
        trainer="Léa Fabre",
        place="Salle Rhône, Part-Dieu",
        capacity=40,
    )
    w.skill = Skill.objects.get(code=SKILL_SOUGHT)

    ReconquestSettings.objects.get_or_create(
        segment=None,
        defaults={
            "baseline_start": datetime.date(2025, 1, 1),
            "baseline_end": datetime.date(2025, 3, 1),
        },
    )
    w.campaign = Campaign.objects.create(
        name="Printemps du tram",
        channels=["phone"],
        created_by=w.manager,
        offer_type="free_month",
        offer_text="Un mois offert sur l'abonnement « Tout Lyon ».",
        starts_on=last_month(),
        ends_on=last_month() + datetime.timedelta(days=180),
        status=CampaignStatus.ACTIVE,
        launched_at=in_last_month(1),
    )
    w.campaign.agencies.set([w.lyon])

    w.pmr = Segment.objects.get(name="Personnes à mobilité réduite")
    w.round = bring_round_to(w.pmr, Stage.EVOLVE, by=w.manager)
    w.incivility = incivility_report(
        reported_by=w.agent,
        direction="against_staff",
        kind="insult",
        severity=2,
        place="counter",
        description="Un client a insulté l'agente au guichet après une panne du tram.",
        occurred_at=in_last_month(5),
    )

    w.surveys = {survey.kind: survey for survey in Survey.objects.all()}
    for name in (
        "customers",
        "customer_labels",
        "agencies",
        "agency_agents",
        "colleagues",
        "colleague_labels",
        "request_labels",
        "timeline_labels",
        "note_labels",
        "partner_note_labels",
        "gesture_labels",
        "partner_labels",
        "escalated_labels",
        "session_labels",
        "skill_labels",
        "campaign_labels",
        "segment_labels",
        "record_labels",
        "history_labels",
        "alert_labels",
        "incivility_labels",
        "comment_labels",
    ):
        setattr(w, name, [])
    return w


def world_grow(w: World, start: int, stop: int) -> None:
    """Add rows number `start` to `stop - 1` to every list."""
    for i in range(start, stop):
        _grow_people(w, i)
        _grow_workspace(w, i)
        _grow_partners_and_academy(w, i)
        _grow_reconquest(w, i)
        _grow_satisfaction(w, i)
        _grow_cycle(w, i)
    _grow_audit(w, start, stop)


def _grow_people(w: World, i: int) -> None:
    name, city = AGENCIES[i]
    agency = Agency.objects.create(name=name, city=city)
    w.agencies.append(agency)
    # an agent in the new agency, and a colleague in Lyon: both speak Spanish
    w.agency_agents.append(
        Agent.objects.create(
            user=_user(f"agent.{i}", roles.AGENT),
            agency=agency,
            display_name=f"Agent de {city}",
            languages=["es"],
        )
    )
    colleague = _staff(f"collegue.{i}", COLLEAGUES[i], roles.AGENT, w.lyon, languages=["fr", "es"])
    w.colleagues.append(colleague)
    w.colleague_labels.append(COLLEAGUES[i])
    last = f"Dupont-{LAST_NAMES[i]}"
    customer = _customer(
        FIRST_NAMES[i],
        last,
        w.lyon,
        civility="m" if i % 2 else "mme",
        phones=[SHARED_PHONE],
        emails=[f"{secrets.token_hex(4)}.client@exemple.fr"],
        cards=[f"TCL {i:04d} 2026"],
        usual_contact=w.agent,
        segment=Segment.objects.get(name="Abonnés annuels" if i % 2 else "Scolaires"),
    )
    w.customers.append(customer)
    w.customer_labels.append(last)
    consent_record(
        customer=w.helene,
        channel="email",
        purpose="surveys",
        given=bool(i % 2),
        source="counter",
        by=w.agent,
    )


def _grow_workspace(w: World, i: int) -> None:
    customer, now = w.customers[i], timezone.now()
    colleague = w.colleagues[i]
    # a question of the customer: one more request in the agency's queue
    subject = f"Remboursement du trajet annulé n° {i} à Bellecour"
    queued = touchpoint_log(
        agent=colleague,
        customer=customer,
        channel="email",
        reason=w.question,
        summary=subject,
        occurred_at=now - datetime.timedelta(minutes=30 + i),
    ).request
    w.request_labels.append(subject)
    # Hélène's timeline: an answered call by a colleague, and an open question
    summary = f"Horaires de la ligne C3 vers Vaulx-en-Velin, appel n° {i}"
    touchpoint_log(
        agent=colleague,
        customer=w.helene,
        channel="phone",
        reason=w.information,
        summary=summary,
        occurred_at=now - datetime.timedelta(days=1, minutes=i),
        outcome=Outcome.ANSWERED,
    )
    w.timeline_labels.append(summary)
    # every other visit stays an open question: her open requests grow too (the others
    # are answered, so that the agency's queue holds on its first page)
    touchpoint_log(
        agent=w.agent,
        customer=w.helene,
        channel="counter",
        reason=w.question,
        summary=f"Duplicata de la carte Técély, visite n° {i}",
        occurred_at=now - datetime.timedelta(days=2, minutes=i),
        outcome="" if i % 2 else Outcome.ANSWERED,
    )
    # her request's history: one more exchange on it
    note = f"Relance de la cliente au sujet du blocage, échange n° {i}"
    touchpoint_log(
        agent=colleague,
        customer=w.helene,
        channel="email",
        reason=w.question,
        summary=note,
        occurred_at=now - datetime.timedelta(hours=2, minutes=i),
        request=w.request,
    )
    w.note_labels.append(note)
    # gestures: granted within the agent's limit, or pending a supervisor's approval
    gesture_grant(
        customer=customer,
        agent=w.agent,
        kind="refund",
        value=Decimal("3") if i % 2 else Decimal("400"),
        reason=f"Retards répétés du tram T4 (dossier {i})",
        channel="phone",
    )
    w.gesture_labels.append(customer.last_name)
    alert_raise(
        kind="handover",
        recipient=w.agent,
        cause=f"garde-fou:{i}",
        code="legacy",
        params={
            "text": f"{customer.first_name} {customer.last_name} vous est confié·e (alerte n° {i})."
        },
        customer=customer,
        request=queued,
    )
    w.alert_labels.append(f"alerte n° {i}")
    # the partner space: one more request escalated to the partner, with a note
    request_escalate(
        request=queued, partner=w.partner, note=f"Vérifier le trajet n° {i}.", by=w.agent
    )
    w.escalated_labels.append(subject)
    # the partner's own answers on the first escalated request: its history grows
    answer = f"Objet retrouvé au dépôt de Gerland, réponse n° {i}"
    Touchpoint.objects.create(
        customer=w.helene,
        channel="email",
        direction=Direction.OUTBOUND,
        reason=w.escalated.reason,
        summary=answer,
        agency=w.lyon,
        occurred_at=now - datetime.timedelta(days=3, minutes=i),
        request=w.escalated,
    )
    w.partner_note_labels.append(answer)
