"""Requests (with their deadline in the agency's working time) and goodwill gestures,
read back from the spools the touchpoint pass filled."""

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal

from demo.dataset import plan as P
from demo.dataset.activity import CHANNELS, REASONS, Spools, summary
from demo.dataset.reference import Reference
from demo.dataset.timeline import UTC, Window
from demo.dataset.vocabulary import GESTURES
from relation_client.touchpoints.deadlines import (
    FALLBACK,
    deadline_by_rule,
    working_minutes_between,
)

REQUEST_COLUMNS = (
    "id, customer_id, agency_id, assignee_id, channel, reason_id, subject, status, deadline, "
    "priority, opened_at, answered_at, closed_at, breached_at, partner_id, escalated_at, "
    "paused_at, remaining_at_pause"
)
GESTURE_COLUMNS = (
    "id, touchpoint_id, customer_id, agency_id, granted_by_id, kind, value, reason, status, "
    "decided_by_id, decided_at, created_at"
)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def _deadline(ref: Reference, a: int, channel: str, opened: datetime.datetime):
    """The channel's commitment counted as deadline_for counts it. A customer's segment
    answered faster (deadline_for's segment speed-up) is ignored here: the generated
    requests all run on the channel's own commitment."""
    commitment = ref.commitments.get(channel)
    amount, unit = (commitment.amount, commitment.unit) if commitment else FALLBACK
    return deadline_by_rule(ref.agency_objects[a], opened, amount, unit)


def requests(
    *, rng: random.Random, ref: Reference, window: Window, plan: P.CustomerPlan, spools: Spools
) -> Iterator[tuple]:
    """Most requests were answered in time and closed; one in eight missed its deadline;
    the recent ones are still open (some already past their deadline)."""
    now = window.now
    codes = [*REASONS.items, "reconquest"]
    reason_ids = [ref.reasons[code].pk for code in codes]
    for request_id, row in enumerate(spools.requests.rows(), start=1):
        _tp, customer, a, agent, ch, reason, at, template, line, stop = row
        channel = CHANNELS.items[ch]
        opened = window.at(at)
        deadline = _deadline(ref, a, channel, opened).astimezone(UTC)
        if now - opened < 14 * DAY and rng.random() < 0.5:
            answered = now + DAY  # still in the queue
        elif rng.random() < 0.88:
            answered = opened + (deadline - opened) * rng.uniform(0.05, 0.95)
        else:
            answered = deadline + HOUR * rng.uniform(1, 120)
        closed = breached = paused_at = remaining = None
        if answered <= now:
            status = "answered"
            if answered < now - 7 * DAY and rng.random() < 0.75:
                status, closed = "closed", min(now, answered + DAY * rng.uniform(1, 7))
            breached = deadline if answered > deadline else None
        else:
            status = "open" if rng.random() < 0.8 else "waiting_customer"
            answered = None
            if status == "waiting_customer":
                # the clock stopped when the agent asked the customer (deadlines.clock_pause):
                # no breach while it waits, the working time left frozen at that moment
                paused_at = opened + (min(now, deadline) - opened) * rng.uniform(0.1, 0.9)
                remaining = working_minutes_between(ref.agency_objects[a], paused_at, deadline)
            else:
                breached = deadline if deadline < now else None
        priority = ref.segment_priorities[plan.segment[customer - 1]] if customer else 9
        yield (
            request_id,
            customer or None,
            ref.agency_ids[a],
            agent or None,
            channel,
            reason_ids[reason],
            summary(template, line, stop),
            status,
            deadline,
            priority,
            opened,
            answered,
            closed,
            breached,
            None,
            None,
            paused_at,
            remaining,
        )


def gestures(
    *, rng: random.Random, ref: Reference, window: Window, spools: Spools
) -> Iterator[tuple]:
    """Up to the agent's limit a gesture is granted at once; above, the manager approved it."""
    limit = ref.gesture_limit
    values = [[Decimal(v) for v in values] for _kind, values, _why in GESTURES]
    for gesture_id, row in enumerate(spools.gestures.rows(), start=1):
        tp, customer, a, agent, kind, at = row
        value = values[kind][rng.randrange(len(values[kind]))]
        moment = window.at(at)
        decided_by = decided_at = None
        status = "granted"
        if value > limit:
            status, decided_by = "approved", ref.managers[a]
            decided_at = moment + HOUR * rng.uniform(1, 30)
        yield (
            gesture_id,
            tp,
            customer,
            ref.agency_ids[a],
            agent,
            GESTURES[kind][0],
            value,
            GESTURES[kind][2],
            status,
            decided_by,
            decided_at,
            moment,
        )
