"""What the ticketing partner knows: subscriptions (with their contract numbers as
customer identifiers) and monthly ridership. A share of the customers stop renewing,
ride much less in the second year or stop riding: lapse detection has work to do."""

import datetime
import random
from collections.abc import Iterator

from demo.dataset import plan as P
from demo.dataset.reference import Reference
from demo.dataset.timeline import Window
from demo.dataset.vocabulary import FALLBACK_PRODUCTS, PRODUCTS
from demo.people import Permutation, Picker

SUBSCRIPTION_COLUMNS = (
    "id, customer_id, contract_number, product, start_date, end_date, status, sales_channel, "
    "updated_at"
)
RIDERSHIP_COLUMNS = "id, customer_id, month, trips, updated_at"
SALES = Picker(["counter", "web", "app", "phone", "machine", "employer"], [25, 30, 20, 5, 12, 8])
# trips in an ordinary month, per segment
TRIPS = {
    "Abonnés annuels": 44,
    "Scolaires": 40,
    "Seniors": 22,
    "Personnes à mobilité réduite": 14,
    "Voyageurs occasionnels": 5,
    "Plans de mobilité employeur": 42,
    "Visiteurs": 4,
}
SEASON = {7: 0.75, 8: 0.55, 12: 0.9}
SCHOOL_SEASON = {2: 0.8, 4: 0.8, 7: 0.25, 8: 0.15, 10: 0.85, 12: 0.8}


def subscriptions(
    *, rng: random.Random, ref: Reference, window: Window, plan: P.CustomerPlan
) -> Iterator[tuple]:
    contracts = Permutation(10**10, rng)
    products = [PRODUCTS.get(name, FALLBACK_PRODUCTS)[0] for name in ref.segment_names]
    employer = [name == "Plans de mobilité employeur" for name in ref.segment_names]
    months, as_of = window.months, window.as_of
    day = datetime.timedelta
    next_id = 1
    for i in range(plan.count):
        flags = plan.flags[i]
        if not flags & P.SUBSCRIBER:
            continue
        s = plan.segment[i]
        product = products[s][rng.randrange(len(products[s]))]
        channel = "employer" if employer[s] and rng.random() < 0.8 else SALES(rng)
        start_index = plan.subscription_start[i]
        if start_index == 0:
            start = window.first_month - day(days=rng.randint(0, 900))
            if rng.random() < 0.3:  # the contract it renewed
                before = start - day(days=rng.choice([30, 365]))
                yield (
                    next_id,
                    i + 1,
                    f"CT{contracts(next_id):010d}",
                    product,
                    before,
                    start - day(days=1),
                    "ended",
                    channel,
                    window.now,
                )
                next_id += 1
        else:
            start = months[start_index] + day(days=rng.randint(0, 27))
        if flags & P.LAPSED:
            end = months[plan.last[i]] + day(days=rng.randint(10, 27))
            status = "cancelled" if rng.random() < 0.25 else "ended"
        elif rng.random() < 0.3:
            end, status = as_of + day(days=rng.randint(1, 330)), "active"
        else:
            end, status = None, "suspended" if rng.random() < 0.01 else "active"
        yield (
            next_id,
            i + 1,
            f"CT{contracts(next_id):010d}",
            product,
            start,
            end,
            status,
            channel,
            window.now,
        )
        next_id += 1


def subscription_identifiers(*, rows: Iterator[tuple], first_id: int) -> Iterator[tuple]:
    """The contract number of each subscription, searchable like a card number."""
    for offset, row in enumerate(rows):
        yield (first_id + offset, row[1], "contract", row[2])


def ridership(
    *, rng: random.Random, ref: Reference, window: Window, plan: P.CustomerPlan
) -> Iterator[tuple]:
    base = [TRIPS.get(name, 20) for name in ref.segment_names]
    school = [name == "Scolaires" for name in ref.segment_names]
    months = window.months
    season = [SEASON.get(m.month, 1.0) for m in months]
    school_season = [SCHOOL_SEASON.get(m.month, 1.0) for m in months]
    # the partner's monthly import, a few days after each month
    updated = [
        window.at(window.day_offsets[min(window.days, (m - window.first_month).days + 35)])
        for m in months
    ]
    next_id = 1
    for i in range(plan.count):
        count = plan.months[i]
        if not count:
            continue
        p = plan.profile[i]
        first, last = plan.first[i], plan.last[i]
        s = plan.segment[i]
        level = base[s] * rng.uniform(0.6, 1.4)
        factors = school_season if school[s] else season
        if p == P.SPORADIC:
            chosen = sorted(rng.sample(range(first, last + 1), count))
        else:
            chosen = range(first, last + 1)
        drop_from = rng.randint(13, 19) if p == P.DROP else 99
        drop = rng.uniform(0.1, 0.4)
        for m in chosen:
            trips = level * factors[m] * rng.uniform(0.8, 1.2)
            if m >= drop_from:
                trips *= drop
            elif p == P.STOPPED and m == last:
                trips *= 0.4  # the last month ridden
            trips = round(trips) if p == P.DROP else max(1, round(trips))
            yield (next_id, i + 1, months[m], trips, updated[m])
            next_id += 1
