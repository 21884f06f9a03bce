"""The demo's riders for the reconquest story: two years of ticketing data with the drop
and a partial recovery, subscriptions, and consents to be called.

Each customer with a card gets a profile (how much they ride, whether and when they are
lost, whether a campaign of CAMPAIGNS brings them back); rows are then written from the
profiles in the import services' record format.
"""

import datetime
import random
from dataclasses import dataclass

from reconquete.models import CaseReason, OfferType
from relation_client.customers.models import (
    Consent,
    ConsentChannel,
    ConsentPurpose,
    ConsentSource,
    Customer,
    IdentifierKind,
)

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
class Profile:
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


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


BACK_ON_THEIR_OWN = 0.2


def _comeback(profile: Profile, segment: str, rng: random.Random) -> int | None:
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


def profiles_draw(rng: random.Random) -> list[Profile]:
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
        profile = Profile(
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


def helene_story(profiles: list[Profile]) -> None:
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


def _trips(profile: Profile, index: int, rng: random.Random) -> int:
    if index < profile.start:
        return 0
    factor = 1.0 if index < DROP_MONTH else profile.decline
    if profile.lost_at is not None and index >= profile.lost_at:
        factor = 0.0 if profile.stopped else rng.uniform(0.1, 0.35)
        if profile.back_at is not None and index >= profile.back_at:
            factor = profile.decline * rng.uniform(0.8, 1.05)
    return max(0, round(profile.level * factor * rng.uniform(0.85, 1.15)))


def ridership_rows(profiles, months, rng):
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


def subscription_rows(profiles, months):
    line = 1
    for profile in profiles:
        if not profile.subscribed:
            continue
        first_start = (
            add_months(months[0], -(profile.customer.pk % 12))
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


# travel information (disruption warnings, relation_client/network/contact.py): asked
# apart from offers, and more readily given; channel -> (share given, share refused)
TRAVEL_INFO = {ConsentChannel.EMAIL: (0.40, 0.07), ConsentChannel.SMS: (0.30, 0.06)}


def consents_add(profiles, since: datetime.datetime, rng: random.Random) -> None:
    known = set(Consent.objects.values_list("customer_id", flat=True).distinct())
    # its own stream: the offers' draws, which the reconquest story relies on, stay as they were
    travel = random.Random("demo:travel_info")
    rows = []
    for profile in profiles:
        if profile.customer.pk in known:
            continue
        for channel, (yes, no) in TRAVEL_INFO.items():
            draw = travel.random()
            if draw < yes + no:
                rows.append(
                    Consent(
                        customer=profile.customer,
                        channel=channel,
                        purpose=ConsentPurpose.TRAVEL_INFO,
                        given=draw < yes,
                        source=travel.choice([ConsentSource.COUNTER, ConsentSource.APP]),
                        recorded_at=since + datetime.timedelta(days=travel.randint(0, 400)),
                    )
                )
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
