"""Reconquest in the demo network: two years of ticketing data with the drop and a partial
recovery, the nights of detection replayed month by month, three campaigns worked by the
agents, and one indicator compute, so that the dashboard tells a story at first start.

Idempotent: nothing is done when ticketing data already exists. Called by seed_demo
after the network and its customers exist.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from agences.models import Agency, Agent
from reconquete.models import (
    CampaignStatus,
    CampaignTarget,
    CaseReason,
    ContactOutcome,
    OfferType,
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
from relation_client.customers.models import (
    Consent,
    ConsentChannel,
    ConsentPurpose,
    ConsentSource,
    Customer,
    IdentifierKind,
    Segment,
)
from relation_client.touchpoints.models import Channel, Direction, Reason
from relation_client.touchpoints.services import touchpoint_log

HISTORY = 24  # complete months of ridership before the current month
DROP_MONTH = 12  # the first month of the second year: the drop
# segment -> (trips per month before the drop, share of its customers lost after it)
PROFILES = {
    "Abonnés annuels": (46, 0.50),
    "Scolaires": (40, 0.65),
    "Seniors": (22, 0.40),
    "Personnes à mobilité réduite": (14, 0.25),
    "Voyageurs occasionnels": (6, 0.35),
    "Plans de mobilité employeur": (42, 0.70),
    "Visiteurs": (3, 0.50),
}
DEFAULT_PROFILE = (12, 0.40)
# after the drop even the faithful travel less: telework, online courses
DECLINE = {"Plans de mobilité employeur": 0.6, "Scolaires": 0.75, "Abonnés annuels": 0.85}
DEFAULT_DECLINE = 0.9
SUBSCRIBED = {"Abonnés annuels", "Scolaires", "Plans de mobilité employeur", "Seniors"}
NEW_SHARE = 0.08  # customers who start travelling during the two years: conquest

CAMPAIGNS = [
    # month, name, segments, reasons, offer type, offer, channels, days
    (
        16,
        "Rentrée : on vous remet en selle",
        ["Scolaires"],
        [],
        OfferType.FREE_MONTH,
        "Un mois d'abonnement offert pour toute reprise d'un abonnement scolaire ou étudiant "
        "avant la fin du trimestre.",
        [ConsentChannel.PHONE, ConsentChannel.SMS],
        45,
    ),
    (
        19,
        "Télétravail : le pass flexible",
        ["Plans de mobilité employeur", "Abonnés annuels"],
        [],
        OfferType.DISCOUNT,
        "Le carnet « 10 jours au choix par mois » à -30 % pendant six mois, pris en charge à "
        "50 % par l'employeur.",
        [ConsentChannel.PHONE, ConsentChannel.EMAIL],
        45,
    ),
    (
        HISTORY,
        "On vous raccompagne",
        [],
        [CaseReason.INACTIVE, CaseReason.RIDERSHIP_DROP],
        OfferType.ADVICE,
        "Un rendez-vous conseil en agence pour refaire les trajets du quotidien avec les "
        "nouvelles lignes, et un trajet aller-retour offert.",
        [ConsentChannel.PHONE],
        60,
    ),
]


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


@dataclass
class _Profile:
    customer: Customer
    card: str
    level: float
    start: int = 0  # first month with trips (0, or later for new customers)
    lost_at: int | None = None
    back_at: int | None = None
    subscribed: bool = False
    still_to_call: bool = False  # left on the agent's list for the demo
    stopped: bool = False  # once lost, no trip at all (else a few)
    decline: float = DEFAULT_DECLINE


def _add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


BACK_ON_THEIR_OWN = 0.2


def _comeback(profile: _Profile, segment: str, rng: random.Random) -> int | None:
    """When a lost customer comes back, if ever: soon on their own for a few, else in the
    month after a campaign aimed at their segment reaches them (which the agents' calls
    then record), else never."""
    if rng.random() < 0.15:
        return profile.lost_at + rng.randint(2, 3)
    for month, _name, segments, *_rest in CAMPAIGNS:
        aimed = month < HISTORY and segment in segments and profile.lost_at < month
        if aimed and rng.random() < 0.55:
            return month + rng.randint(0, 1)
    if rng.random() < BACK_ON_THEIR_OWN:
        return profile.lost_at + rng.randint(4, 8)
    return None


def _profiles(rng: random.Random) -> list[_Profile]:
    customers = list(
        Customer.objects.filter(identifiers__kind=IdentifierKind.CARD)
        .select_related("segment")
        .order_by("id")
        .distinct()
    )
    cards = {}
    for customer_id, number in (
        Customer.objects.filter(identifiers__kind=IdentifierKind.CARD)
        .order_by("id", "identifiers__number")
        .values_list("id", "identifiers__number")
    ):
        cards.setdefault(customer_id, number)
    profiles = []
    for customer in customers:
        segment = customer.segment.name if customer.segment else ""
        level, lost_share = PROFILES.get(segment, DEFAULT_PROFILE)
        profile = _Profile(
            customer=customer,
            card=cards[customer.pk],
            level=level * rng.uniform(0.6, 1.4),
            subscribed=segment in SUBSCRIBED and rng.random() < 0.8,
            stopped=rng.random() < 0.4,
            decline=DECLINE.get(segment, DEFAULT_DECLINE),
        )
        if rng.random() < NEW_SHARE:
            profile.start = rng.randint(4, HISTORY - 2)
        elif rng.random() < lost_share:
            profile.lost_at = rng.randint(DROP_MONTH, HISTORY - 4)
            profile.back_at = _comeback(profile, segment, rng)
        profiles.append(profile)
    return profiles


def _helene_story(profiles: list[_Profile]) -> None:
    """Hélène Dupont-Lefèvre, the demo's first customer, stopped travelling lately: her
    case is open and the current campaign puts her on her usual contact's list."""
    for profile in profiles:
        if (profile.customer.first_name, profile.customer.last_name) == (
            "Hélène",
            "Dupont-Lefèvre",
        ):
            profile.start, profile.lost_at, profile.back_at = 0, HISTORY - 3, None
            profile.level = max(profile.level, 30)
            profile.subscribed = False
            profile.still_to_call = True


def _trips(profile: _Profile, index: int, rng: random.Random) -> int:
    if index < profile.start:
        return 0
    factor = 1.0 if index < DROP_MONTH else profile.decline
    if profile.lost_at is not None and index >= profile.lost_at:
        factor = 0.0 if profile.stopped else rng.uniform(0.1, 0.35)
        if profile.back_at is not None and index >= profile.back_at:
            factor = profile.decline * rng.uniform(0.8, 1.05)
    return max(0, round(profile.level * factor * rng.uniform(0.85, 1.15)))


def _ridership_rows(profiles, months, rng):
    line = 1
    for profile in profiles:
        for index, month in enumerate(months):
            if index >= profile.start:
                line += 1
                yield (
                    line,
                    {
                        "card": profile.card,
                        "month": month.isoformat(),
                        "trips": _trips(profile, index, rng),
                    },
                )


def _subscription_rows(profiles, months):
    line = 1
    for profile in profiles:
        if not profile.subscribed:
            continue
        first_start = (
            _add_months(months[0], -(profile.customer.pk % 12))
            if not profile.start
            else (months[profile.start])
        )
        ended = profile.lost_at is not None
        end = months[profile.lost_at] - datetime.timedelta(days=1) if ended else None
        line += 1
        yield (
            line,
            {
                "contract": f"ABO-{profile.customer.pk:06d}-1",
                "card": profile.card,
                "product": "Pass Partout mensuel",
                "start_date": first_start.isoformat(),
                "end_date": end.isoformat() if end else "",
                "status": "ended" if ended else "active",
                "sales_channel": "web" if profile.customer.pk % 3 else "counter",
            },
        )
        if profile.back_at is not None and profile.back_at < len(months):
            line += 1
            yield (
                line,
                {
                    "contract": f"ABO-{profile.customer.pk:06d}-2",
                    "card": profile.card,
                    "product": "Pass Partout mensuel",
                    "start_date": (
                        months[profile.back_at] + datetime.timedelta(days=3)
                    ).isoformat(),
                    "end_date": "",
                    "status": "active",
                    "sales_channel": "app",
                },
            )


def _consents(profiles, since: datetime.datetime, rng: random.Random) -> None:
    known = set(Consent.objects.values_list("customer_id", flat=True).distinct())
    rows = []
    for profile in profiles:
        if profile.customer.pk in known:
            continue
        if profile.still_to_call:
            rows.append(
                Consent(
                    customer=profile.customer,
                    channel=ConsentChannel.PHONE,
                    purpose=ConsentPurpose.MARKETING,
                    given=True,
                    source=ConsentSource.COUNTER,
                    recorded_at=since,
                )
            )
            continue
        for channel, yes, no in (
            (ConsentChannel.PHONE, 0.72, 0.12),
            (ConsentChannel.SMS, 0.45, 0.15),
            (ConsentChannel.EMAIL, 0.55, 0.10),
        ):
            draw = rng.random()
            if draw < yes + no:
                rows.append(
                    Consent(
                        customer=profile.customer,
                        channel=channel,
                        purpose=ConsentPurpose.MARKETING,
                        given=draw < yes,
                        source=rng.choice([ConsentSource.COUNTER, ConsentSource.WEB]),
                        recorded_at=since + datetime.timedelta(days=rng.randint(0, 200)),
                    )
                )
    Consent.objects.bulk_create(rows)


def _outcome_for(profile: _Profile | None, index: int, rng: random.Random) -> str:
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
    months = [_add_months(this_month, index - HISTORY) for index in range(HISTORY)]
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

    profiles = _profiles(rng)
    _helene_story(profiles)
    report.ridership_rows = ridership_import(
        records=_ridership_rows(profiles, months, rng)
    ).received
    report.subscriptions = subscriptions_import(
        records=_subscription_rows(profiles, months)
    ).received
    _consents(
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
