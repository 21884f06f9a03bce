"""The world every row of the table is tried in: two agencies, one member of staff per
role, and an object of each kind in each agency."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from agences.models import (
    Agency,
    Agent,
    Partner,
    PartnerMember,
    TrainingAttendance,
    TrainingSession,
)
from reconquete.models import INDICATORS_RUN as RECONQUEST_RUN
from reconquete.models import (
    Campaign,
    CampaignTarget,
    CaseReason,
    ReconquestCase,
    Subscription,
)
from relation_client.customers.models import CustomerMerge, Segment
from relation_client.customers.services import CustomerData, customer_create, customer_merge
from relation_client.cycle import services as cycle
from relation_client.cycle.models import PrivilegeAction, Stage
from relation_client.messaging.models import (
    AnswerTemplate,
    InboundAttachment,
    InboundMessage,
    InboundStatus,
    Mailbox,
    OutboundMessage,
)
from relation_client.runs.models import BackgroundRun
from relation_client.touchpoints.models import Reason, Request
from relation_client.touchpoints.services import alert_raise, gesture_grant, touchpoint_log
from relation_client.touchpoints.services.walkins import walkin_log
from satisfaction.models import INDICATORS_RUN as SATISFACTION_RUN
from satisfaction.services.incivility import incivility_report
from tests.cycle.conftest import bring_round_to
from tests.permissions.doors import World
from tests.permissions.table import ADMIN, AGENT, DIRECTOR, DPO, MANAGER, PARTNER, SUPERVISOR


def _user(username: str, role: str):
    # no password: the test signs in with force_login, and hashing one costs ~0.3 s a user
    user = get_user_model().objects.create_user(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


def _staff(username: str, display_name: str, role: str, agency: Agency) -> Agent:
    return Agent.objects.create(
        user=_user(username, role), agency=agency, display_name=display_name
    )


def _customer(first: str, last: str, agency: Agency, **extra):
    data = CustomerData(first_name=first, last_name=last, home_agency=agency, **extra)
    return customer_create(data=data, confirm_duplicate=True)


def _question(agent, customer, summary: str) -> Request:
    return touchpoint_log(
        agent=agent,
        customer=customer,
        channel="phone",
        reason=Reason.objects.get(code="subscription"),
        summary=summary,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
    ).request


@pytest.fixture
def world(agency_lyon, agency_villeurbanne) -> World:
    w = World()
    w.lyon, w.villeurbanne = agency_lyon, agency_villeurbanne
    w.staff = {
        AGENT: _staff("camille", "Camille Rousseau", AGENT, agency_lyon),
        SUPERVISOR: _staff("nathalie", "Nathalie Girard", SUPERVISOR, agency_lyon),
        MANAGER: _staff("francois", "François Lemaire", MANAGER, agency_lyon),
        DIRECTOR: _staff("isabelle", "Isabelle Morel", DIRECTOR, agency_lyon),
        DPO: _staff("bertrand", "Bertrand Lefort", DPO, agency_lyon),
        ADMIN: _staff("emilie", "Émilie Chauvin", ADMIN, agency_lyon),
    }
    camille, manager = w.staff[AGENT], w.staff[MANAGER]
    w.theo = _staff("theo", "Théo Marchand", AGENT, agency_villeurbanne)
    w.sophie = _staff("sophie", "Sophie Nguyễn", MANAGER, agency_villeurbanne)
    w.users = {role: agent.user for role, agent in w.staff.items()}
    w.partner = Partner.objects.create(name="Objets Trouvés Métropole", domain="Objets perdus")
    w.other_partner = Partner.objects.create(name="Taxis PMR Rhône", domain="Transport adapté")
    w.users[PARTNER] = _user("gerard", PARTNER)
    w.partner_member = PartnerMember.objects.create(
        partner=w.partner, full_name="Gérard Pécuchet", user=w.users[PARTNER]
    )

    w.helene = _customer(
        "Hélène", "Dupont-Lefèvre", agency_lyon, phones=["06 12 34 56 78"], usual_contact=camille
    )
    w.kevin = _customer("Kévin", "Nguyễn", agency_villeurbanne)
    w.request = _question(camille, w.helene, "Carte Técély bloquée après le rechargement")
    w.request_villeurbanne = _question(w.theo, w.kevin, "Remboursement d'un trajet annulé")
    # an exchange with nobody named, in Lyon, waiting to be attached
    w.walkin = walkin_log(
        agent=camille,
        channel="counter",
        reason=Reason.objects.get(code="information"),
        summary="Itinéraire pour l'hôpital Édouard-Herriot",
        contact_left="06 98 76 54 32",
    )
    # a message of Lyon's mailbox whose sender nobody recognised, with a file
    mailbox = Mailbox.objects.create(
        name="Agence Lyon Part-Dieu", address="lyon@tcl-exemple.fr", agency=agency_lyon
    )
    w.message = InboundMessage.objects.create(
        source="imap",
        mailbox=mailbox,
        sender_address="noel.bezier@exemple.fr",
        sender_name="Noël Bézier",
        subject="Abonnement Tout Lyon non débité",
        body_text="Bonjour, mon abonnement n'a pas été débité ce mois-ci.",
        received_at=timezone.now() - datetime.timedelta(hours=1),
        status=InboundStatus.UNIDENTIFIED,
    )
    w.message_attachment = InboundAttachment.objects.create(
        message=w.message,
        filename="relevé bancaire.pdf",
        content_type="application/pdf",
        size=9,
        content=b"%PDF-1.4\n",
    )
    reason = Reason.objects.get(code="lost_property")
    now = timezone.now()

    def escalated(partner, subject):
        return Request.objects.create(
            agency=agency_lyon,
            customer=w.helene,
            channel="phone",
            reason=reason,
            subject=subject,
            status="open",
            opened_at=now - datetime.timedelta(hours=3),
            deadline=now + datetime.timedelta(days=2),
            partner=partner,
            escalated_at=now - datetime.timedelta(hours=2),
        )

    w.escalated = escalated(w.partner, "Parapluie oublié dans le T1")
    w.escalated_elsewhere = escalated(w.other_partner, "Trajet en taxi PMR manqué")
    w.alerts = {
        agent.pk: alert_raise(
            kind="handover",
            recipient=agent,
            cause=f"matrice:{agent.pk}",
            code="legacy",
            params={"text": "Hélène Dupont-Lefèvre vous est confiée."},
        )
        for agent in [*w.staff.values(), w.theo]
    }
    w.gesture = gesture_grant(
        customer=w.helene,
        agent=camille,
        kind="refund",
        value=Decimal("400"),
        reason="Trois retards du tram T4 cette semaine",
        channel="phone",
    )
    w.gesture_villeurbanne = gesture_grant(
        customer=w.kevin,
        agent=w.theo,
        kind="refund",
        value=Decimal("400"),
        reason="Bus supprimé sans information",
        channel="phone",
    )

    w.segment = Segment.objects.get(name="Seniors")
    w.round = bring_round_to(
        Segment.objects.get(name="Personnes à mobilité réduite"), Stage.CONTROL, by=manager
    )
    w.action = PrivilegeAction.objects.get(round=w.round)
    w.control = cycle.control_add(
        round=w.round,
        by=manager,
        indicator="manual",
        label="Clients servis en moins de 5 minutes (%)",
        target=80,
    )

    w.session = TrainingSession.objects.create(
        topic="Accueil des personnes malentendantes",
        starts_at=now + datetime.timedelta(days=10),
        duration_hours=Decimal("3"),
        trainer="Léa Fabre",
        place="Salle Rhône, Part-Dieu",
        capacity=12,
    )
    w.attendance = TrainingAttendance.objects.create(session=w.session, agent=camille)
    w.partner_attendance = TrainingAttendance.objects.create(
        session=w.session, partner_member=w.partner_member
    )

    w.campaign = _campaign("Printemps du tram", manager, agency_lyon)
    w.campaign_villeurbanne = _campaign("Retour au bus", w.sophie, agency_villeurbanne)
    case = ReconquestCase.objects.create(
        customer=w.helene,
        reason=CaseReason.RIDERSHIP_DROP,
        agency=agency_lyon,
        lost_since=datetime.date(2026, 6, 1),
        watch_from=datetime.date(2026, 9, 1),
        opened_at=now - datetime.timedelta(days=20),
    )
    w.target = CampaignTarget.objects.create(
        campaign=w.campaign,
        customer=w.helene,
        case=case,
        agent=camille,
        contactable=True,
        channels=["phone"],
        created_at=now - datetime.timedelta(days=5),
    )
    w.subscription = Subscription.objects.create(
        customer=w.helene,
        contract_number="ABO-MATRICE-1",
        product="Pass Partout mensuel",
        start_date=datetime.date(2025, 1, 1),
        end_date=timezone.localdate() + datetime.timedelta(days=20),
        status="active",
        sales_channel="counter",
    )
    w.reconquest_run = BackgroundRun.objects.create(
        kind=RECONQUEST_RUN, task_id="matrice", requested_by=manager
    )
    w.satisfaction_run = BackgroundRun.objects.create(kind=SATISFACTION_RUN, requested_by=manager)
    w.incivility = _incivility(camille, "Un client a insulté l'agent au guichet")
    w.incivility_villeurbanne = _incivility(w.theo, "Menaces au téléphone")
    # a merge of two records of one person, for the undo button
    twin = _customer("Helene", "Dupont-Lefevre", agency_lyon)
    customer_merge(survivor=w.helene, absorbed=twin, by=w.staff[SUPERVISOR])
    w.merge = CustomerMerge.objects.get(absorbed_id=twin.pk)
    # an answer by e-mail on Lyon's request, given up; a canned answer
    w.outbound = OutboundMessage.objects.create(
        channel="email",
        purpose="answer",
        to_address="helene.dupont@exemple.fr",
        subject=f"Re: Carte Técély bloquée [{w.request.reference}]",
        body_text="Bonjour Madame Dupont-Lefèvre, votre carte est débloquée.",
        request=w.request,
        customer=w.helene,
        agent=camille,
        status="failed",
        attempts=12,
        last_error="SMTPDataError: (451, b'4.3.0 Essayez plus tard')",
        next_attempt_at=now,
    )
    w.answer_template = AnswerTemplate.objects.create(
        title="Carte débloquée", body="Votre carte est débloquée ({reference}).", created_by=manager
    )
    return w


def _campaign(name: str, by, agency: Agency) -> Campaign:
    campaign = Campaign.objects.create(
        name=name,
        channels=["phone"],
        created_by=by,
        offer_type="free_month",
        offer_text="Un mois offert sur l'abonnement Tout Lyon.",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    campaign.agencies.set([agency])
    return campaign


def _incivility(agent, description: str):
    return incivility_report(
        reported_by=agent,
        direction="against_staff",
        kind="insult",
        severity=2,
        place="counter",
        description=description,
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
    )
