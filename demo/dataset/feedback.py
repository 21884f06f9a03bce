"""What customers and staff say about the exchanges: survey invitations and answers, the
agents' estimates on the same touchpoints (optimistic by a few points: the satisfaction
gap has something to show), and the climate agents noted."""

import datetime
import random
from collections.abc import Iterator

from demo.dataset import plan as P
from demo.dataset.activity import CHANNELS, Spools
from demo.dataset.reference import Reference
from demo.dataset.timeline import Window
from demo.dataset.vocabulary import COMMENTS
from satisfaction.models import SCALES

INVITATION_COLUMNS = (
    "id, survey_id, touchpoint_id, customer_id, agent_id, agency_id, channel, occurred_at, "
    "token_hash, created_at, sent_at, expires_at, answered_at"
)
ANSWER_COLUMNS = (
    "id, invitation_id, score, comment, complaint, service_rating, source, partner_answer_id, "
    "answered_at, loop_request_id, created_at, updated_at"
)
ESTIMATE_COLUMNS = "id, touchpoint_id, kind, score, agent_id, recorded_at"
CLIMATE_COLUMNS = (
    "id, touchpoint_id, agent_id, agency_id, channel, occurred_at, rating, recorded_at"
)
KINDS = list(SCALES)
# how the customer felt, on 0..1, given the mood the agent noted (index in MOODS)
FELT = [0.86, 0.7, 0.42, 0.22, 0.68]
CLIMATE = [(4, 5), (3, 5), (2, 4), (1, 3), (3, 4)]
ESTIMATE_SHARE = 0.65
MINUTE = datetime.timedelta(minutes=1)


def _clip(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x


class Feedback:
    """The invitations' spools for the answers and the estimates, filled by invitations()."""

    def __init__(self):
        self.answers = P.Spool(invitation="i", kind="B", felt="B", at="i")
        self.estimates = P.Spool(touchpoint="i", kind="B", felt="B", agent="i", at="i")


def invitations(
    *,
    rng: random.Random,
    ref: Reference,
    window: Window,
    spools: Spools,
    answers: int,
    feedback: Feedback,
) -> Iterator[tuple]:
    total = len(spools.invitations)
    end = window.end_offset
    kind_index = {kind: k for k, kind in enumerate(KINDS)}
    answered_n = 0
    for inv_id, row in enumerate(spools.invitations.rows(), start=1):
        tp, customer, a, agent, ch, at, mood = row
        channel = CHANNELS.items[ch]
        survey_id, kind, validity = ref.surveys[channel]
        k = kind_index[kind]
        felt = _clip(FELT[mood] + rng.gauss(0, 0.14))
        sent = min(at + rng.randint(300, 5400), end)
        answered_at = None
        # selection sampling: exactly `answers` of the invitations are answered
        if rng.random() * (total - inv_id + 1) < answers - answered_n:
            answered_n += 1
            delay = min(int(rng.expovariate(1 / 40000)), validity * 86400 - 60)
            answered = sent + min(delay, max(0, end - sent - 60))
            answered_at = window.at(answered)
            feedback.answers.add(inv_id, k, round(felt * 250), answered)
        if rng.random() < ESTIMATE_SHARE:
            feedback.estimates.add(tp, k, round(felt * 250), agent, at + rng.randint(30, 600))
        sent_at = window.at(sent)
        yield (
            inv_id,
            survey_id,
            tp,
            customer,
            agent,
            ref.agency_ids[a],
            channel,
            window.at(at),
            f"{rng.getrandbits(256):064x}",
            sent_at,
            sent_at,
            sent_at + datetime.timedelta(days=validity),
            answered_at,
        )


def answers(*, rng: random.Random, window: Window, feedback: Feedback) -> Iterator[tuple]:
    for answer_id, (invitation, k, felt, at) in enumerate(feedback.answers.rows(), start=1):
        low, high = SCALES[KINDS[k]]
        u = felt / 250
        score = low + round(u * (high - low))
        comment = ""
        if rng.random() < 0.15:
            tone = "good" if u > 0.7 else "mixed" if u > 0.45 else "bad"
            comment = rng.choice(COMMENTS[tone])
        rating = None
        if rng.random() < 0.9:
            rating = 1 + round(4 * _clip(u + rng.gauss(0.05, 0.12)))
        partner = rng.random() < 0.15
        moment = window.at(at)
        yield (
            answer_id,
            invitation,
            score,
            comment,
            u < 0.3 and rng.random() < 0.25,
            rating,
            "partner" if partner else "web",
            f"QS{answer_id:010d}" if partner else None,
            moment,
            None,
            moment,
            moment,
        )


def estimates(*, rng: random.Random, window: Window, feedback: Feedback) -> Iterator[tuple]:
    for estimate_id, (tp, k, felt, agent, at) in enumerate(feedback.estimates.rows(), start=1):
        low, high = SCALES[KINDS[k]]
        guess = _clip(felt / 250 + 0.08 + rng.gauss(0, 0.12))
        yield (estimate_id, tp, KINDS[k], low + round(guess * (high - low)), agent, window.at(at))


def climates(
    *, rng: random.Random, window: Window, spools: Spools, ref: Reference
) -> Iterator[tuple]:
    for climate_id, (tp, a, agent, ch, at, mood) in enumerate(spools.climates.rows(), start=1):
        low, high = CLIMATE[mood]
        moment = window.at(at)
        yield (
            climate_id,
            tp,
            agent,
            ref.agency_ids[a],
            CHANNELS.items[ch],
            moment,
            rng.randint(low, high),
            moment + MINUTE * rng.randint(1, 20),
        )
