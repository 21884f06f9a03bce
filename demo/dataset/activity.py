"""Touchpoints over the period, and the rows some of them give rise to: requests with
their deadlines, goodwill gestures, survey invitations, the climate an agent noted.

Touchpoints are generated day by day in time order (ids follow time, as in production).
Exactly `invitations` of them are drawn for a survey by selection sampling (each is kept
with probability still-needed / still-to-come); those are interactions with a named
customer who accepts surveys by e-mail, as invitation_after_touchpoint requires.
"""

import random
from collections.abc import Iterator

from demo.dataset import plan as P
from demo.dataset.reference import Reference
from demo.dataset.timeline import Window
from demo.dataset.vocabulary import LINES, STOPS, SUMMARIES
from demo.people import Picker

TOUCHPOINT_COLUMNS = (
    "id, kind, customer_id, channel, direction, reason_id, summary, agent_id, agency_id, "
    "occurred_at, outcome, mood, request_id, contact_left, created_at"
)
CHANNELS = Picker(
    ["counter", "phone", "email", "web_form", "mobile_app", "social_media", "on_board", "letter"],
    [30, 30, 12, 8, 6, 7, 5, 2],
)
CHANNEL_INDEX = {c: k for k, c in enumerate(CHANNELS.items)}
# seconds after midnight (Paris) a touchpoint may happen on each channel
HOURS = {
    "counter": (8 * 3600 + 1800, 18 * 3600),
    "phone": (8 * 3600, 19 * 3600),
    "on_board": (6 * 3600, 22 * 3600),
    "letter": (9 * 3600, 17 * 3600),
}
DIGITAL_HOURS = (7 * 3600, 23 * 3600)
SATURDAY_COUNTER = (9 * 3600, 12 * 3600 + 1800)
REASONS = Picker(
    [
        "information",
        "subscription",
        "fare",
        "complaint",
        "lost_property",
        "disruption",
        "accessibility",
        "incivility",
        "compliment",
        "other",
    ],
    [25, 20, 12, 10, 6, 9, 4, 2, 4, 8],
)
MOODS = ["happy", "neutral", "unhappy", "angry", ""]
MOOD_USUAL = Picker(range(5), [28, 45, 15, 4, 8])
MOOD_UPSET = Picker(range(5), [4, 30, 40, 20, 6])
OUTCOMES = Picker(["answered", "informed", "follow_up", "escalated", ""], [52, 22, 18, 2, 6])
# the templates in one flat list: requests keep an index into it as their subject
TEMPLATES = [(code, text) for code, texts in SUMMARIES.items() for text in texts]
TEMPLATE_RANGES: dict[str, tuple[int, int]] = {}
for _k, (_code, _text) in enumerate(TEMPLATES):
    low, _high = TEMPLATE_RANGES.get(_code, (_k, _k))
    TEMPLATE_RANGES[_code] = (low, _k + 1)
REQUEST_SHARE = 0.045  # of the inbound touchpoints whose reason opens a request
GESTURE_SHARE = 0.004
CLIMATE_SHARE = 0.08


def summary(template: int, line: int, stop: int) -> str:
    text = TEMPLATES[template][1]
    return text.format(line=LINES[line], stop=STOPS[stop]) if "{" in text else text


class Spools:
    def __init__(self):
        self.requests = P.Spool(
            touchpoint="i", customer="i", agency="B", agent="i", channel="B", reason="B",
            at="i", template="H", line="B", stop="B",
        )  # fmt: skip
        self.gestures = P.Spool(
            touchpoint="i", customer="i", agency="B", agent="i", kind="B", at="i"
        )
        self.invitations = P.Spool(
            touchpoint="i", customer="i", agency="B", agent="i", channel="B", at="i", mood="B"
        )
        self.climates = P.Spool(
            touchpoint="i", agency="B", agent="i", channel="B", at="i", mood="B"
        )

    def nbytes(self) -> int:
        return sum(
            s.nbytes() for s in (self.requests, self.gestures, self.invitations, self.climates)
        )


def _day_counts(window: Window, total: int) -> list[int]:
    """Touchpoints per day: busy weekdays, quiet Sundays and August, a growing network."""
    weights = []
    for d in range(window.days):
        weekday = window.day_weekdays[d]
        w = 1.0 if weekday <= 5 else 0.55 if weekday == 6 else 0.15
        w *= 0.75 if window.day_months[d] == 8 else 1.0
        weights.append(w * (0.85 + 0.3 * d / window.days))
    grand, running, done, counts = sum(weights), 0.0, 0, []
    for w in weights:
        running += w
        upto = round(total * running / grand)
        counts.append(upto - done)
        done = upto
    return counts


def touchpoints(
    *,
    rng: random.Random,
    ref: Reference,
    window: Window,
    plan: P.CustomerPlan,
    total: int,
    invitations: int,
    spools: Spools,
) -> Iterator[tuple]:
    reasons = {code: ref.reasons[code] for code in [*REASONS.items, "reconquest"]}
    reason_index = {code: k for k, code in enumerate(reasons)}
    agencies = Picker(range(len(ref.agency_ids)), ref.agency_weights)
    channels = CHANNELS.items
    customers = plan.count
    flags, profile, home = plan.flags, plan.profile, plan.agency
    agency_ids, by_agency = ref.agency_ids, ref.agents_by_agency
    seen, chosen, next_request = 0, 0, 1
    for d, count in enumerate(_day_counts(window, total)):
        midnight, weekday = window.day_offsets[d], window.day_weekdays[d]
        moments = []
        for _ in range(count):
            channel = CHANNELS(rng)
            if weekday == 7 and channel in ("counter", "phone", "letter"):
                channel = "web_form" if rng.random() < 0.5 else "mobile_app"
            low, high = HOURS.get(channel, DIGITAL_HOURS)
            if weekday == 6 and channel == "counter":
                low, high = SATURDAY_COUNTER
            moments.append((midnight + rng.randint(low, high), channel))
        moments.sort()
        for at, channel in moments:
            seen += 1
            tp_id = seen
            invited = rng.random() * (total - seen + 1) < invitations - chosen
            customer, c = None, -1
            if invited or rng.random() < 0.88:
                for _attempt in range(50):
                    c = int(customers * rng.random() ** 1.4)
                    if not invited or flags[c] & P.SURVEY_OK:
                        break
                customer = c + 1
            a = home[c] if customer and rng.random() < 0.85 else agencies.index(rng)
            agents = by_agency[a]
            agent = agents[rng.randrange(len(agents))]
            if channel in ("web_form", "mobile_app") and rng.random() < 0.3 and not invited:
                agent = None
            direction = "inbound"
            code = REASONS(rng)
            if customer and profile[c] in (P.DROP, P.STOPPED) and rng.random() < 0.15:
                code, direction, channel = "reconquest", "outbound", "phone"
            elif channel in ("phone", "email", "letter") and rng.random() < 0.08:
                direction = "outbound"
            reason = reasons[code]
            mood = (MOOD_UPSET if reason.is_complaint else MOOD_USUAL).index(rng)
            t_low, t_high = TEMPLATE_RANGES[code]
            template = rng.randrange(t_low, t_high)
            line, stop = rng.randrange(len(LINES)), rng.randrange(len(STOPS))
            outcome = OUTCOMES(rng)
            kind, request_id = "interaction", None
            ch = CHANNEL_INDEX[channel]
            if invited:
                chosen += 1
                spools.invitations.add(tp_id, customer, a, agent, ch, at, mood)
            elif direction == "inbound" and reason.opens_request and rng.random() < REQUEST_SHARE:
                request_id, outcome = next_request, "follow_up"
                next_request += 1
                spools.requests.add(
                    tp_id, customer or 0, a, agent or 0, ch, reason_index[code], at,
                    template, line, stop,
                )  # fmt: skip
            elif customer and agent and rng.random() < GESTURE_SHARE:
                kind, outcome = "gesture", "answered"
                spools.gestures.add(tp_id, customer, a, agent, rng.randrange(4), at)
            if agent and rng.random() < CLIMATE_SHARE:
                spools.climates.add(tp_id, a, agent, ch, at, mood)
            moment = window.at(at)
            yield (
                tp_id,
                kind,
                customer,
                channels[ch],
                direction,
                reason.pk,
                summary(template, line, stop),
                agent,
                agency_ids[a],
                moment,
                outcome,
                MOODS[mood],
                request_id,
                "",  # contact_left: generated walk-ins leave no number
                moment,
            )
