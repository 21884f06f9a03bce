"""Customers and what identifies them: contact points, cards and consents.

Every generator takes its own seeded Random, walks customers in id order and yields
tuples in the column order of its COPY statement. Phones and card numbers come from
an affine permutation of the customer's index: unique without remembering them.
"""

import random
from collections.abc import Iterator

from demo import people
from demo.dataset import plan as P
from demo.dataset.reference import Reference
from demo.dataset.timeline import Window
from demo.dataset.vocabulary import FALLBACK_PRODUCTS, PRODUCTS
from demo.people import Permutation, Phones
from demo.people.names import FIRST_NAMES, LAST_NAMES

CUSTOMER_COLUMNS = (
    "id, civility, first_name, last_name, preferred_name, preferred_language, birth_date, "
    "postal_address, needs, tags, segment_id, home_agency_id, usual_contact_id, created_at, "
    "updated_at, anonymised_at"
)
CONTACT_COLUMNS = "id, customer_id, kind, value, label, created_at"
IDENTIFIER_COLUMNS = "id, customer_id, kind, number"
CONSENT_COLUMNS = "id, customer_id, channel, purpose, given, recorded_at, source, recorded_by_id"

# age range (years) of each segment's customers
AGES = {
    "Scolaires": (11, 25),
    "Seniors": (65, 93),
    "Personnes à mobilité réduite": (20, 90),
    "Visiteurs": (20, 70),
}


def customers(
    *, rng: random.Random, ref: Reference, window: Window, plan: P.CustomerPlan
) -> Iterator[tuple]:
    segments = people.Picker(range(len(ref.segment_ids)), ref.segment_weights)
    agencies = people.Picker(range(len(ref.agency_ids)), ref.agency_weights)
    products = [PRODUCTS.get(name, FALLBACK_PRODUCTS)[1] for name in ref.segment_names]
    ages = [AGES.get(name, (18, 80)) for name in ref.segment_names]
    pmr = [name == "Personnes à mobilité réduite" for name in ref.segment_names]
    end = window.end_offset
    since = -4 * 365 * 86400  # the oldest records were created four years before the data
    for i in range(plan.count):
        s = segments.index(rng)
        a = agencies.index(rng)
        female, f, last_index = people.name_draw(rng)
        first_name, last_name = FIRST_NAMES[f], LAST_NAMES[last_index]
        plan.segment[i], plan.agency[i] = s, a
        plan.first_name[i], plan.last_name[i] = f, last_index
        _plan_rides(plan, i, rng, products[s])
        flags = plan.flags[i]
        if rng.random() < people.EMAIL_SHARE:
            flags |= P.HAS_EMAIL | (P.SURVEY_OK if rng.random() < 0.8 else 0)
        plan.flags[i] = flags
        birth = people.birth_date_draw(rng, today=window.as_of, ages=ages[s])
        civility, preferred = people.salutation_draw(rng, female=female, last_name=last_name)
        needs, tags = people.needs_draw(rng, reduced_mobility=pmr[s])
        _place, town, postcode = ref.agency_places[a]
        agents = ref.agents_by_agency[a]
        usual = agents[rng.randrange(len(agents))] if rng.random() < 0.35 else None
        created = rng.randint(since, end - 86400)
        updated = rng.randint(created, end - 1)
        language = people.LANGUAGES(rng)
        address = people.address_draw(rng, postcode=postcode, town=town)
        yield (
            i + 1,
            civility,
            first_name,
            last_name,
            preferred,
            language,
            birth,
            address,
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
        if rng.random() < people.LANDLINE_SHARE:
            yield (next_id, i + 1, "phone", phones.landline(i), "domicile", created)
            next_id += 1
        if plan.flags[i] & P.HAS_EMAIL:
            email = people.email_draw(
                rng,
                first_name=FIRST_NAMES[plan.first_name[i]],
                last_name=LAST_NAMES[plan.last_name[i]],
                index=i,
            )
            yield (next_id, i + 1, "email", email, "", created)
            next_id += 1


def identifiers(*, rng: random.Random, plan: P.CustomerPlan) -> Iterator[tuple]:
    """A transport card for nine customers in ten; contract numbers come with the
    subscriptions (see ticketing.subscription_identifiers)."""
    cards = Permutation(10**10, rng)
    for i in range(plan.count):
        if plan.flags[i] & P.SUBSCRIBER or rng.random() < 0.75:
            yield (i + 1, i + 1, "card", f"TCL{cards(i):010d}")


SOURCES = people.Picker(["counter", "phone", "web", "app", "import"], [30, 15, 30, 20, 5])


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
