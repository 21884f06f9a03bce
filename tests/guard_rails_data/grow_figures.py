"""The rows the figures read: training and skills, reconquest, satisfaction, the loyalty
cycle, the audit trail; and the snapshots recomputed from them."""

import datetime
import secrets
from decimal import Decimal

from django.utils import timezone

from agences.models import (
    AgentSkill,
    Partner,
    PartnerCommitment,
    PartnerMember,
    Skill,
    TrainingAttendance,
    TrainingSession,
)
from reconquete.models import (
    Campaign,
    CampaignTarget,
    CaseReason,
    CaseStatus,
    ReconquestCase,
    ReconquestContact,
    ReconquestSettings,
    RidershipMonth,
    Subscription,
)
from reconquete.services.indicators import snapshot_compute
from relation_client.customers.consents import consent_record
from relation_client.customers.models import Segment
from relation_client.cycle import services as cycle
from relation_client.cycle.models import Round, Stage
from relation_client.partners.services import partner_compliance_compute
from relation_client.privacy.models import AuditEvent
from relation_client.touchpoints.models import Direction, Reason, Touchpoint
from relation_client.touchpoints.services import (
    touchpoint_log,
)
from satisfaction.common import token_hash
from satisfaction.models import (
    AgentEstimate,
    AnswerSource,
    SurveyAnswer,
    SurveyInvitation,
)
from satisfaction.services import indicators_compute
from satisfaction.services.estimates import barometer_record
from satisfaction.services.incivility import incivility_report
from satisfaction.services.pulse import pulse_submit
from tests.guard_rails_data.common import (
    PARTNERS,
    SEGMENTS,
    SKILLS,
    World,
    in_last_month,
    last_month,
    paris_now,
)


def _grow_partners_and_academy(w: World, i: int) -> None:
    now = timezone.now()
    partner = Partner.objects.create(name=PARTNERS[i], domain="Transport adapté")
    w.partner_labels.append(PARTNERS[i])
    PartnerCommitment.objects.bulk_create(
        [
            PartnerCommitment(
                partner=partner,
                party="partner",
                title="Répondre aux demandes transmises sous 48 heures",
                measure="answer_delay",
                max_hours=48,
                target_percent=90,
                starts_on=datetime.date(2025, 1, 1),
            ),
            PartnerCommitment(
                partner=w.partner,
                party="operator",
                title=f"Transmettre les objets trouvés du secteur n° {i}",
                starts_on=datetime.date(2025, 1, 1),
            ),
        ]
    )
    member = PartnerMember.objects.create(partner=w.partner, full_name=f"Lucie Chênevert {i}")
    upcoming = TrainingSession.objects.create(
        topic=f"Atelier « accueil difficile » n° {i}",
        starts_at=now + datetime.timedelta(days=20 + i),
        duration_hours=Decimal("2"),
        trainer="Maëlle Rivière",
        place="Salle Saône, Part-Dieu",
    )
    recent = TrainingSession.objects.create(
        topic=f"Tarification solidaire, module {i}",
        starts_at=now - datetime.timedelta(days=5 + i),
        duration_hours=Decimal("1.5"),
        trainer="Joël Mérieux",
        place="Agence Villeurbanne",
    )
    w.session_labels += [upcoming.topic, recent.topic]
    colleague = w.colleagues[i]
    TrainingAttendance.objects.bulk_create(
        [
            TrainingAttendance(session=w.session, agent=colleague),
            TrainingAttendance(session=w.session, partner_member=member),
            TrainingAttendance(session=recent, agent=w.agent, status="attended"),
            TrainingAttendance(session=upcoming, agent=colleague),
        ]
    )
    skill = Skill.objects.create(
        code=f"garde-fou-{i}", label=SKILLS[i], category="welcome" if i % 2 else "offer"
    )
    w.skill_labels.append(SKILLS[i])
    today = timezone.localdate()
    AgentSkill.objects.bulk_create(
        [
            AgentSkill(
                agent=w.agent, skill=skill, level=3, assessed_on=today, assessed_by=w.manager
            ),
            AgentSkill(
                agent=colleague, skill=w.skill, level=2 + i % 3, assessed_on=today,
                assessed_by=w.manager,
            ),
        ]
    )  # fmt: skip


def _grow_reconquest(w: World, i: int) -> None:
    customer = w.customers[i]
    won = i % 3 == 0
    case = ReconquestCase.objects.create(
        customer=customer,
        reason=CaseReason.RIDERSHIP_DROP if i % 2 else CaseReason.INACTIVE,
        status=CaseStatus.WON_BACK if won else CaseStatus.OPEN,
        # every other case is another agency's: the director's dashboard compares them
        agency=w.agencies[i] if i % 2 else w.lyon,
        segment=customer.segment,
        lost_since=last_month() - datetime.timedelta(days=60),
        watch_from=last_month(),
        opened_at=in_last_month(2, hour=3),
        won_back_at=in_last_month(20) if won else None,
        attributed_campaign=w.campaign if won else None,
        threshold_trips=10,
        baseline_trips=20,
        details={"baseline": 20, "recent": 4, "ratio_percent": 20, "drop_months": 3},
    )
    # the consent a launch would have found: the call list reads the current one
    consent_record(
        customer=customer, channel="phone", purpose="marketing", given=True, source="counter"
    )
    target = CampaignTarget.objects.create(
        campaign=w.campaign,
        customer=customer,
        case=case,
        agent=w.agent,
        is_usual_contact=True,
        contactable=True,
        channels=["phone", "email"],
        created_at=in_last_month(3),
    )
    contact_at = in_last_month(6 + i % 10)
    touchpoint = touchpoint_log(
        agent=w.agent,
        customer=customer,
        channel="phone",
        reason=Reason.objects.get(code="reconquest"),
        summary=f"Appel de reconquête : présentation de l'offre (n° {i})",
        direction=Direction.OUTBOUND,
        occurred_at=contact_at,
    )
    ReconquestContact.objects.create(
        case=case,
        campaign=w.campaign,
        target=target,
        touchpoint=touchpoint,
        outcome="accepted" if i % 2 else "reached",
        channel="phone",
        occurred_at=contact_at,
        agent=w.agent,
    )
    # ridership: a baseline for the recovery drill-down, or a first trip (new customer)
    months = [datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)] if i % 2 else []
    RidershipMonth.objects.bulk_create(
        [RidershipMonth(customer=customer, month=m, trips=30) for m in months]
        + [RidershipMonth(customer=customer, month=last_month(), trips=4 + i)]
    )
    # subscriptions: the grown customer's, and one more of Hélène's (the panel on her page
    # and on the caller card loads them all in one query)
    for holder, number in ((customer, f"ABO-GR-{i:02d}"), (w.helene, f"ABO-HDL-{i:02d}")):
        Subscription.objects.create(
            customer=holder,
            contract_number=number,
            product="Pass Partout mensuel",
            start_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=31 * i),
            end_date=datetime.date(2024, 1, 28) + datetime.timedelta(days=31 * i),
            status="ended",
            sales_channel="counter",
        )
    campaign = Campaign.objects.create(
        name=f"Reprenez le bus, vague {i}",
        channels=["phone", "email"],
        created_by=w.manager,
        offer_type="discount",
        offer_text="Moitié prix sur le premier mois retrouvé.",
        starts_on=last_month(),
        ends_on=last_month() + datetime.timedelta(days=90),
    )
    campaign.agencies.set([w.lyon])
    w.campaign_labels.append(campaign.name)
    segment = Segment.objects.create(name=SEGMENTS[i], priority=5)
    w.segment_labels.append(SEGMENTS[i])
    ReconquestSettings.objects.create(
        segment=segment,
        baseline_start=datetime.date(2025, 1, 1),
        baseline_end=datetime.date(2025, 3, 1),
        drop_percent=40 + i,
    )


def _grow_satisfaction(w: World, i: int) -> None:
    customer, colleague = w.customers[i], w.colleagues[i]
    at = in_last_month(8 + i % 15)
    comment = f"Accueil très aimable, merci à l'équipe (réponse n° {i})"
    w.comment_labels.append(comment)
    rows = []
    # the NPS answer is another agency's: the dashboards then compare more agencies
    pairs = (("csat", "counter", w.agent), ("nps", "phone", w.agency_agents[i]))
    for kind, channel, agent in pairs:
        touchpoint = Touchpoint.objects.create(
            customer=customer,
            channel=channel,
            reason=w.information,
            summary=f"Renseignement sur l'abonnement « Tout Lyon » n° {i}",
            agent=agent,
            agency_id=agent.agency_id,
            occurred_at=at,
        )
        invitation = SurveyInvitation.objects.create(
            survey=w.surveys[kind],
            touchpoint=touchpoint,
            customer=customer,
            agent=agent,
            agency_id=agent.agency_id,
            channel=channel,
            occurred_at=at,
            token_hash=token_hash(secrets.token_urlsafe(16)),
            sent_at=at,
            expires_at=at + datetime.timedelta(days=14),
            answered_at=at,
        )
        score = 4 if kind == "csat" else 8
        rows.append(
            SurveyAnswer(
                invitation=invitation,
                score=score,
                comment=comment,
                source=AnswerSource.WEB,
                answered_at=at,
            )
        )
        AgentEstimate.objects.create(touchpoint=touchpoint, kind=kind, score=score, agent=agent)
    SurveyAnswer.objects.bulk_create(rows)
    description = f"Propos injurieux au guichet, signalement n° {i}"
    incivility_report(
        reported_by=w.agent,
        direction="against_staff",
        kind="insult" if i % 2 else "threat",
        severity=1 + i % 3,
        place="counter",
        description=description,
        occurred_at=at,
        customer=customer,
    )
    w.incivility_labels.append(description)
    barometer_record(agent=colleague, satisfied_share=60 + i)
    barometer_record(agent=colleague, satisfied_share=55 + i, period=last_month())
    pulse_submit(agent=colleague, engagement=4, workload=3, support=4)


def _grow_cycle(w: World, i: int) -> None:
    today = timezone.localdate()
    segment = Segment.objects.get(name=SEGMENTS[i])
    cycle.round_start(segment=segment, by=w.manager)
    round, by = w.round, w.manager
    cycle.finding_add(
        round=round,
        by=by,
        finding=f"Attente n° {i} : des annonces sonores à chaque arrêt",
        source="workshop",
        partners=[w.partner],
    )
    cycle.adapted_service_add(
        round=round,
        by=by,
        what=f"Rampe d'accès n° {i} au guichet",
        for_whom="Clients en fauteuil",
        starts_on=today,
    )
    action = cycle.privilege_action_add(
        round=round,
        by=by,
        kind="dedicated_contact",
        description=f"Interlocuteur dédié, quartier n° {i}",
        starts_on=today,
    )
    cycle.written_commitment_add(
        round=round, by=by, title=f"Engagement écrit n° {i} : rappel sous 24 h",
        starts_on=today, partner=w.partner,
    )  # fmt: skip
    control = cycle.control_add(
        round=round,
        by=by,
        indicator="manual",
        label=f"Rappels tenus sous 24 h, quartier n° {i} (%)",
        target=Decimal("80"),
        measured_value=Decimal("85"),
        action=action,
    )
    cycle.decision_add(
        round=round,
        by=by,
        decision=f"Décision n° {i} : étendre l'interlocuteur dédié",
        rationale="Objectif atteint deux mois de suite.",
        controls=[control],
    )
    w.record_labels.append(f"Décision n° {i} : étendre")
    # an earlier round of the segment, closed (numbers above the round in progress: the
    # history lists every other round of the segment, whatever its number)
    past = Round.objects.create(
        segment=w.pmr,
        number=100 + i,
        stage=Stage.EVOLVE,
        started_at=timezone.now() - datetime.timedelta(days=400 + i),
        started_by=by,
        closed_at=timezone.now() - datetime.timedelta(days=300 + i),
        closed_by=by,
    )
    w.history_labels.append(str(past.number))


def _grow_audit(w: World, start: int, stop: int) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=w.agent.user,
            actor_label=f"Camille Rousseau (consultation n° {i})",
            action="view",
            customer_id=w.helene.pk,
            channel="page",
            detail="fiche client",
        )
        for i in range(start, stop)
    )


def world_recompute(w: World) -> None:
    """The snapshot rows the dashboards and the partner pages read."""
    # the last three months: the dashboard's month and a short trend
    first = (last_month() - datetime.timedelta(days=45)).replace(day=1)
    snapshot_compute(period_from=first, period_to=last_month())
    indicators_compute(min_sample=1)
    partner_compliance_compute(month=last_month())
    partner_compliance_compute(month=paris_now().date().replace(day=1))
