"""Customers and what identifies them: contact points, cards and consents.

Every generator takes its own seeded Random, walks customers in id order and yields
tuples in the column order of its COPY statement. Phones and card numbers come from
an affine permutation of the customer's index: unique without remembering them.
"""

import datetime
import math
import random
from collections.abc import Iterator

import phonenumbers

from relation_client.dataset import plan as P
from relation_client.dataset.names import (
    FIRST_NAMES_F,
    FIRST_NAMES_M,
    LAST_NAMES,
    STREETS,
    Picker,
    ascii_fold,
    by_rank,
)
from relation_client.dataset.reference import Reference
from relation_client.dataset.timeline import Window
from relation_client.dataset.vocabulary import FALLBACK_PRODUCTS, PRODUCTS

FIRST_NAMES = FIRST_NAMES_F + FIRST_NAMES_M  # plan.first_name indexes this list
CUSTOMER_COLUMNS = (
    "id, civility, first_name, last_name, preferred_name, preferred_language, birth_date, "
    "postal_address, needs, tags, segment_id, home_agency_id, usual_contact_id, created_at, "
    "updated_at, anonymised_at"
)
CONTACT_COLUMNS = "id, customer_id, kind, value, label, created_at"
IDENTIFIER_COLUMNS = "id, customer_id, kind, number"
CONSENT_COLUMNS = "id, customer_id, channel, purpose, given, recorded_at, source, recorded_by_id"

LANGUAGES = Picker(["fr", "en", "es", "ar", "de", "it"], [930, 30, 15, 12, 8, 5])
MAIL_DOMAINS = Picker(
    [
        "orange.example",
        "gmail.example",
        "free.example",
        "laposte.example",
        "sfr.example",
        "hotmail.example",
        "yahoo.example",
        "outlook.example",
    ],
    [26, 30, 12, 8, 8, 8, 4, 4],
)
ACCESSIBILITY = [
    ("Se déplace en fauteuil roulant.", ["mobilité réduite"]),
    ("Malvoyant : privilégier le téléphone.", ["malvoyant"]),
    ("Malentendante : privilégier l'écrit.", ["malentendant"]),
    ("Se déplace avec un chien guide.", ["chien guide"]),
]
OTHER_NEEDS = [
    ("Préfère les documents en gros caractères.", ["gros caractères"]),
    ("Joignable seulement après 18 h.", []),
    ("Parle mal français : proposer l'anglais.", ["langue"]),
]
# age range (years) of each segment's customers
AGES = {
    "Scolaires": (11, 25),
    "Seniors": (65, 93),
    "Personnes à mobilité réduite": (20, 90),
    "Visiteurs": (20, 70),
}


def _mobile_prefixes() -> list[str]:
    """Three-digit French mobile prefixes (6xx, 7xx) that phonenumbers holds valid."""
    return [
        str(p)
        for p in range(600, 800)
        if all(
            phonenumbers.is_valid_number(phonenumbers.parse(f"+33{p}{suffix}"))
            for suffix in ("000000", "999999")
        )
    ]


class Permutation:
    """index -> a number below `modulus`, different for every index."""

    def __init__(self, modulus: int, rng: random.Random):
        self.modulus = modulus
        self.multiplier = rng.randrange(modulus // 3, modulus // 2)
        while math.gcd(self.multiplier, modulus) != 1:
            self.multiplier += 1
        self.offset = rng.randrange(modulus)

    def __call__(self, index: int) -> int:
        return (self.multiplier * index + self.offset) % self.modulus


class Phones:
    def __init__(self, rng: random.Random):
        self.prefixes = _mobile_prefixes()
        self.mobiles = Permutation(len(self.prefixes) * 10**6, rng)
        self.landlines = Permutation(10**7, rng)

    def mobile(self, index: int) -> str:
        n = self.mobiles(index)
        return f"+33{self.prefixes[n // 10**6]}{n % 10**6:06d}"

    def landline(self, index: int) -> str:
        return f"+3347{self.landlines(index):07d}"


def customers(
    *, rng: random.Random, ref: Reference, window: Window, plan: P.CustomerPlan
) -> Iterator[tuple]:
    segments = Picker(range(len(ref.segment_ids)), ref.segment_weights)
    agencies = Picker(range(len(ref.agency_ids)), ref.agency_weights)
    female_names = by_rank(range(len(FIRST_NAMES_F)))
    male_names = by_rank(range(len(FIRST_NAMES_F), len(FIRST_NAMES)))
    last_names = by_rank(range(len(LAST_NAMES)), slope=0.6)
    products = [PRODUCTS.get(name, FALLBACK_PRODUCTS)[1] for name in ref.segment_names]
    ages = [AGES.get(name, (18, 80)) for name in ref.segment_names]
    pmr = [name == "Personnes à mobilité réduite" for name in ref.segment_names]
    today = window.as_of.toordinal()
    end = window.end_offset
    since = -4 * 365 * 86400  # the oldest records were created four years before the data
    fromordinal = datetime.date.fromordinal
    for i in range(plan.count):
        s = segments.index(rng)
        a = agencies.index(rng)
        female = rng.random() < 0.52
        f = female_names(rng) if female else male_names(rng)  # an index in FIRST_NAMES
        last_index = last_names.index(rng)
        first_name, last_name = FIRST_NAMES[f], LAST_NAMES[last_index]
        plan.segment[i], plan.agency[i] = s, a
        plan.first_name[i], plan.last_name[i] = f, last_index
        _plan_rides(plan, i, rng, products[s])
        flags = plan.flags[i]
        if rng.random() < 0.72:
            flags |= P.HAS_EMAIL | (P.SURVEY_OK if rng.random() < 0.8 else 0)
        plan.flags[i] = flags
        low, high = ages[s]
        birth = fromordinal(today - rng.randint(low * 365, high * 365 + 364))
        r = rng.random()
        civility = "" if r < 0.03 else "mme" if female else "m"
        preferred = ""
        if r > 0.985:
            preferred = f"{'Madame' if female else 'Monsieur'} {last_name}"
        needs, tags = "", []
        if pmr[s] or rng.random() < 0.03:
            needs, tags = rng.choice(ACCESSIBILITY if pmr[s] else OTHER_NEEDS)
        place, town, postcode = ref.agency_places[a]
        agents = ref.agents_by_agency[a]
        usual = agents[rng.randrange(len(agents))] if rng.random() < 0.35 else None
        created = rng.randint(since, end - 86400)
        updated = rng.randint(created, end - 1)
        yield (
            i + 1,
            civility,
            first_name,
            last_name,
            preferred,
            LANGUAGES(rng),
            birth,
            f"{rng.randint(1, 180)} {STREETS[rng.randrange(len(STREETS))]}, {postcode} {town}",
            needs,
            tags,
            ref.segment_ids[s],
            ref.agency_ids[a],
            usual,
            window.at(created),
            window.at(updated),
            None,
        )


def _plan_rides(plan: P.CustomerPlan, i: int, rng: random.Random, subscribe_share: float):
    """Subscription and riding profile of customer i (months are indexes 0..23)."""
    flags, profile = 0, P.NO_RIDES
    first, last = 0, 23
    if rng.random() < subscribe_share:
        flags |= P.SUBSCRIBER
        start = 0 if rng.random() < 0.55 else rng.randint(1, 21)
        plan.subscription_start[i] = start
        first = start
        r = rng.random() if start < 16 else 1.0  # a recent subscriber still rides
        if r < 0.06:
            flags |= P.LAPSED  # the subscription ended 3 to 16 months ago
            profile, last = P.STOPPED, rng.randint(max(start + 1, 7), 20)
        elif r < 0.09:
            profile, last = P.STOPPED, rng.randint(max(start + 1, 8), 19)
        elif r < 0.17 and start < 10:
            profile = P.DROP
        else:
            profile = P.STEADY
        months = last - first + 1
    elif rng.random() < 0.55:
        profile = P.SPORADIC
        first = rng.randint(0, 20)
        last = 23 if rng.random() < 0.85 else rng.randint(first + 1, 23)
        months = rng.randint(2, min(8, last - first + 1))
    else:
        months = 0
    plan.flags[i] = flags
    plan.profile[i] = profile
    plan.first[i], plan.last[i], plan.months[i] = first, last, months


def contact_points(
    *, rng: random.Random, window: Window, plan: P.CustomerPlan, phones: Phones
) -> Iterator[tuple]:
    next_id = 1
    for i in range(plan.count):
        created = window.at(rng.randint(-365 * 86400, window.end_offset - 86400))
        yield (next_id, i + 1, "phone", phones.mobile(i), "mobile", created)
        next_id += 1
        if rng.random() < 0.06:
            yield (next_id, i + 1, "phone", phones.landline(i), "domicile", created)
            next_id += 1
        if plan.flags[i] & P.HAS_EMAIL:
            first = ascii_fold(FIRST_NAMES[plan.first_name[i]])
            last = ascii_fold(LAST_NAMES[plan.last_name[i]])
            r = rng.random()
            local = f"{first}.{last}" if r < 0.4 else f"{first[0]}{last}{rng.randint(1, 99)}"
            if r > 0.85:
                local = f"{last}.{first}{i % 1000}"
            yield (next_id, i + 1, "email", f"{local}@{MAIL_DOMAINS(rng)}", "", created)
            next_id += 1


def identifiers(*, rng: random.Random, plan: P.CustomerPlan) -> Iterator[tuple]:
    """A transport card for nine customers in ten; contract numbers come with the
    subscriptions (see ticketing.subscription_identifiers)."""
    cards = Permutation(10**10, rng)
    for i in range(plan.count):
        if plan.flags[i] & P.SUBSCRIBER or rng.random() < 0.75:
            yield (i + 1, i + 1, "card", f"TCL{cards(i):010d}")


SOURCES = Picker(["counter", "phone", "web", "app", "import"], [30, 15, 30, 20, 5])


def consents(
    *, rng: random.Random, ref: Reference, window: Window, plan: P.CustomerPlan
) -> Iterator[tuple]:
    """Surveys by e-mail as planned (the invitations depend on it), offers by e-mail and
    SMS for some, and a changed mind now and then (the latest row wins)."""
    next_id = 1
    end = window.end_offset
    for i in range(plan.count):
        flags = plan.flags[i]
        agents = ref.agents_by_agency[plan.agency[i]]
        at = rng.randint(-700 * 86400, end - 30 * 86400)
        source = SOURCES(rng)
        by = agents[rng.randrange(len(agents))] if source in ("counter", "phone") else None
        decisions = []
        if flags & P.HAS_EMAIL:
            decisions.append(("email", "surveys", bool(flags & P.SURVEY_OK)))
            if rng.random() < 0.5:
                decisions.append(("email", "marketing", rng.random() < 0.7))
        if rng.random() < 0.35:
            decisions.append(("sms", "marketing", rng.random() < 0.6))
        for channel, purpose, given in decisions:
            if purpose == "marketing" and rng.random() < 0.08:
                # said yes first, withdrew later
                yield (next_id, i + 1, channel, purpose, not given, window.at(at), source, by)
                next_id += 1
                at = min(end - 86400, at + rng.randint(86400, 300 * 86400))
            yield (next_id, i + 1, channel, purpose, given, window.at(at), source, by)
            next_id += 1
