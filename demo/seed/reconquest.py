"""Reconquest in the demo network: two years of ticketing data with the drop and a partial
recovery, the nights of detection replayed month by month, three campaigns worked by the
agents, and one indicator compute, so that the dashboard tells a story at first start.

Idempotent: nothing is done when ticketing data already exists. Runs after the network
and its customers exist (demo.seed); the riders' data come from reconquest_riders.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from agences.models import Agency, Agent
from demo.seed.reconquest_riders import (
    CAMPAIGNS,
    DROP_MONTH,
    HISTORY,
    Profile,
    add_months,
    consents_add,
    helene_story,
    profiles_draw,
    ridership_rows,
    subscription_rows,
)
from reconquete.models import (
    CampaignStatus,
    CampaignTarget,
    ContactOutcome,
    ReconquestSettings,
    RidershipMonth,
    Subscription,
)
from reconquete.services import (
    CampaignData,
    campaign_close,
    campaign_create,
    campaign_launch,
    case_outcome_record,
    lapse_detect,
    ridership_import,
    snapshot_compute,
    subscriptions_import,
    target_outcome_record,
)
from relation_client.customers.models import Customer, Segment
from relation_client.touchpoints.models import Channel, Direction, Reason
from relation_client.touchpoints.services import touchpoint_log


@dataclass
class ReconquestDemoReport:
    skipped: bool = False
    ridership_rows: int = 0
    subscriptions: int = 0
    cases_opened: int = 0
    won_back: int = 0
    campaigns: int = 0
    outcomes: int = 0
    snapshot_rows: int = 0
    notes: list[str] = field(default_factory=list)


def _outcome_for(profile: Profile | None, index: int, rng: random.Random) -> str:
    if profile is not None and profile.back_at in (index, index + 1):
        return ContactOutcome.ACCEPTED if rng.random() < 0.8 else ContactOutcome.REACHED
    return rng.choices(
        [
            ContactOutcome.REACHED,
            ContactOutcome.DECLINED,
            ContactOutcome.UNREACHABLE,
            ContactOutcome.ACCEPTED,
            ContactOutcome.DO_NOT_CONTACT,
        ],
        weights=[25, 22, 33, 14, 6],
    )[0]


def _at(day: datetime.date, hour: int, now: datetime.datetime) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 15)))
    return min(moment, now - datetime.timedelta(minutes=5))


def _work_campaign(campaign, profiles_by_id, index, launched, now, rng, report, last) -> None:
    """The agents call their targets over the following weeks; in the current campaign,
    half the list is still to be called."""
    targets = list(
        CampaignTarget.objects.filter(campaign=campaign, contactable=True, agent__isnull=False)
        .select_related("agent", "agent__user")
        .order_by("id")
    )
    for target in targets:
        profile = profiles_by_id.get(target.customer_id)
        if last and (rng.random() < 0.5 or profile is None or profile.still_to_call):
            continue
        day = launched.date() + datetime.timedelta(days=rng.randint(1, 20))
        at = _at(day, rng.randint(9, 17), now)
        if at <= launched:
            continue
        target_outcome_record(
            target=target,
            outcome=_outcome_for(profile, index, rng),
            by=target.agent,
            at=at,
        )
        report.outcomes += 1


def _counter_visits(campaign, profiles_by_id, rng, now, report) -> None:
    """A few targets come to the counter first: the agent there records the outcome on
    the touchpoint they log (what the workspace form does)."""
    reason = Reason.objects.get(code="reconquest")
    pending = [
        target
        for target in CampaignTarget.objects.filter(campaign=campaign, outcome="")
        .select_related("customer", "customer__usual_contact")
        .order_by("id")[:4]
        if not getattr(profiles_by_id.get(target.customer_id), "still_to_call", False)
    ][:3]
    agents = list(Agent.objects.filter(user__groups__name="agent").order_by("id"))
    for target in pending:
        agent = target.customer.usual_contact or rng.choice(agents)
        touchpoint = touchpoint_log(
            agent=agent,
            customer=target.customer,
            channel=Channel.COUNTER,
            direction=Direction.INBOUND,
            reason=reason,
            summary="Passé en agence : intéressé par le rendez-vous conseil proposé.",
            occurred_at=now - datetime.timedelta(days=rng.randint(1, 3), hours=2),
        )
        case_outcome_record(touchpoint=touchpoint, outcome=ContactOutcome.ACCEPTED)
        report.outcomes += 1


def demo_seed_reconquest() -> ReconquestDemoReport:
    report = ReconquestDemoReport()
    if Subscription.objects.exists() or RidershipMonth.objects.exists():
        report.skipped = True
        return report
    director = (
        Agent.objects.filter(user__groups__name="direction_reseau").select_related("user").first()
    )
    if director is None or not Customer.objects.exists():
        report.skipped = True
        report.notes.append("Réseau de démonstration absent : lancez d'abord seed_demo.")
        return report
    rng = random.Random(20201117)  # a fixed seed: the same story every time
    now = timezone.now()
    this_month = timezone.localdate().replace(day=1)
    months = [add_months(this_month, index - HISTORY) for index in range(HISTORY)]
    ReconquestSettings.objects.update_or_create(
        segment=None, defaults={"baseline_start": months[0], "baseline_end": months[11]}
    )
    for name, thresholds in (
        # occasional riders come and go: a deeper drop and a longer silence before a case
        ("Voyageurs occasionnels", {"drop_percent": 30, "inactive_months": 6}),
        # three days a week at the office is telework, not a lost customer
        ("Plans de mobilité employeur", {"drop_percent": 40}),
    ):
        segment = Segment.objects.filter(name=name).first()
        if segment:
            ReconquestSettings.objects.update_or_create(
                segment=segment,
                defaults={"baseline_start": months[0], "baseline_end": months[11], **thresholds},
            )

    profiles = profiles_draw(rng)
    helene_story(profiles)
    report.ridership_rows = ridership_import(records=ridership_rows(profiles, months, rng)).received
    report.subscriptions = subscriptions_import(
        records=subscription_rows(profiles, months)
    ).received
    consents_add(
        profiles, timezone.make_aware(datetime.datetime.combine(months[0], datetime.time(10))), rng
    )

    profiles_by_id = {p.customer.pk: p for p in profiles}
    agencies = list(Agency.objects.order_by("id"))
    segments = {s.name: s for s in Segment.objects.all()}
    launched_campaigns = []
    for index in range(DROP_MONTH + 1, HISTORY + 1):
        month = months[index] if index < HISTORY else this_month
        as_of = min(month + datetime.timedelta(days=4), timezone.localdate())
        detection = lapse_detect(as_of=as_of)
        report.cases_opened += detection.opened_total
        report.won_back += detection.won_back
        for spec in CAMPAIGNS:
            start_index, name, segment_names, reasons, offer_type, offer, channels, days = spec
            if start_index != index:
                continue
            launched = _at(month + datetime.timedelta(days=7), 9, now)
            campaign = campaign_create(
                by=director,
                data=CampaignData(
                    name=name,
                    offer_type=offer_type,
                    offer_text=offer,
                    channels=list(channels),
                    starts_on=launched.date(),
                    ends_on=launched.date() + datetime.timedelta(days=days),
                    agencies=agencies,
                    segments=[segments[n] for n in segment_names if n in segments],
                    reasons=list(reasons),
                ),
            )
            campaign_launch(campaign=campaign, by=director, at=launched)
            last = index == HISTORY
            _work_campaign(campaign, profiles_by_id, index, launched, now, rng, report, last)
            if last:
                _counter_visits(campaign, profiles_by_id, rng, now, report)
            launched_campaigns.append(campaign)
            report.campaigns += 1
        for campaign in launched_campaigns:
            campaign.refresh_from_db(fields=["status", "ends_on"])
            if campaign.status == CampaignStatus.ACTIVE and campaign.ends_on < as_of:
                campaign_close(campaign=campaign, by=director)
    report.snapshot_rows = snapshot_compute().rows
    return report
