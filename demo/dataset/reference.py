"""The rows the generated data points to: agencies and staff (created through the ORM,
keyed on natural keys so a rerun reuses them), and the reference lists the migrations
created (segments, reasons, surveys, commitments)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from agences import roles
from agences.models import Agency, Agent
from demo.dataset.sizes import Size
from demo.dataset.timeline import Window, add_months
from demo.people.names import FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES, PLACES
from reconquete.models import ReconquestSettings
from relation_client.customers.models import Segment
from relation_client.touchpoints.models import Channel, ChannelCommitment, GestureLimit, Reason
from satisfaction.models import ChannelSampling

# every generated account shares this password (hashed once): a test network, not people
DATASET_PASSWORD = "jeu-de-donnees-2026"

# how customers spread over the segments the migrations created (name -> weight)
SEGMENT_WEIGHTS = {
    "Abonnés annuels": 30,
    "Scolaires": 18,
    "Seniors": 12,
    "Personnes à mobilité réduite": 3,
    "Voyageurs occasionnels": 25,
    "Plans de mobilité employeur": 9,
    "Visiteurs": 3,
}


@dataclass
class Reference:
    agency_ids: list[int]
    agency_places: list[tuple[str, str, str]]
    agency_weights: list[float]
    agency_objects: list[Agency]
    agents_by_agency: list[list[int]]
    managers: list[int]
    segment_ids: list[int]
    segment_names: list[str]
    segment_priorities: list[int]
    segment_weights: list[float]
    reasons: dict[str, Reason]
    channels: list[str]
    commitments: dict[str, ChannelCommitment]
    # channel -> (survey id, kind, validity days)
    surveys: dict[str, tuple[int, str, int]]
    # above this value an agent's gesture waits for a manager
    gesture_limit: Decimal


def _agencies(count: int) -> list[Agency]:
    if count > len(PLACES):
        raise ValueError(f"at most {len(PLACES)} agencies")
    agencies = []
    for index, (place, town, postcode) in enumerate(PLACES[:count]):
        agency, _created = Agency.objects.get_or_create(
            name=f"Agence {place}",
            defaults={
                "city": town,
                "address": f"{10 + index} place de la Gare, {postcode} {town}",
                "phone": f"04 72 10 {index // 100:02d} {index % 100:02d}",
            },
        )
        agencies.append(agency)
    return agencies


def _seats(size: Size, weights: list[float]) -> list[int]:
    """Agents per agency, proportional to the agency's weight, at least three."""
    total = sum(weights)
    seats = [max(3, round(size.agents * w / total)) for w in weights]
    seats[0] += size.agents - sum(seats)  # the busiest agency absorbs the rounding
    return seats


class Seat(NamedTuple):
    username: str
    first_name: str
    last_name: str
    role: str
    agency: int  # index in the agencies list


def _staff(agencies: list[Agency], seats: list[int]) -> list[list[int]]:
    """Seat 0 of each agency is its manager, seat 1 its supervisor, the others agents."""
    User = get_user_model()
    wanted = []
    for a, count in enumerate(seats):
        for seat in range(count):
            n = a * 7919 + seat * 104729  # spread the names
            first = (FIRST_NAMES_F if n % 2 else FIRST_NAMES_M)[n % 83]
            last = LAST_NAMES[(n // 3) % len(LAST_NAMES)]
            role = roles.MANAGER if seat == 0 else roles.SUPERVISOR if seat == 1 else roles.AGENT
            wanted.append(Seat(f"dataset.{a + 1:02d}.{seat:03d}", first, last, role, a))
    usernames = [w.username for w in wanted]
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    password = make_password(DATASET_PASSWORD)
    User.objects.bulk_create(
        [
            User(
                username=w.username,
                first_name=w.first_name,
                last_name=w.last_name,
                password=password,
                is_staff=w.role != roles.AGENT,
            )
            for w in wanted
            if w.username not in existing
        ]
    )
    users = dict(User.objects.filter(username__in=usernames).values_list("username", "id"))
    groups = dict(
        Group.objects.filter(name__in=[roles.MANAGER, roles.SUPERVISOR, roles.AGENT]).values_list(
            "name", "id"
        )
    )
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=users[w.username], group_id=groups[w.role]) for w in wanted],
        ignore_conflicts=True,
    )
    with_agent = set(
        Agent.objects.filter(user_id__in=users.values()).values_list("user_id", flat=True)
    )
    Agent.objects.bulk_create(
        [
            Agent(
                user_id=users[w.username],
                agency=agencies[w.agency],
                display_name=f"{w.first_name} {w.last_name}",
                phone_extension=f"{3000 + i}",
                languages=["fr", "en"] if i % 4 == 0 else ["fr"],
            )
            for i, w in enumerate(wanted)
            if users[w.username] not in with_agent
        ]
    )
    agent_ids = dict(
        Agent.objects.filter(user_id__in=users.values()).values_list("user__username", "id")
    )
    by_agency: list[list[int]] = [[] for _ in agencies]
    for w in wanted:
        by_agency[w.agency].append(agent_ids[w.username])
    return by_agency


def reference_prepare(*, size: Size, window: Window) -> Reference:
    agencies = _agencies(size.agencies)
    weights = [1 / (i + 2) ** 0.6 for i in range(len(agencies))]
    by_agency = _staff(agencies, _seats(size, weights))
    segments = list(Segment.objects.order_by("id"))
    # detection compares with the first year of the generated data (the default is 2019)
    ReconquestSettings.objects.update_or_create(
        segment=None,
        defaults={
            "baseline_start": window.first_month,
            "baseline_end": add_months(window.first_month, 11),
        },
    )
    surveys = {
        s.channel: (s.survey_id, s.survey.kind, s.survey.validity_days)
        for s in ChannelSampling.objects.select_related("survey")
    }
    return Reference(
        agency_ids=[a.pk for a in agencies],
        agency_places=[PLACES[i] for i in range(len(agencies))],
        agency_weights=weights,
        agency_objects=agencies,
        agents_by_agency=by_agency,
        managers=[ids[0] for ids in by_agency],
        segment_ids=[s.pk for s in segments],
        segment_names=[s.name for s in segments],
        segment_priorities=[s.priority for s in segments],
        segment_weights=[SEGMENT_WEIGHTS.get(s.name, 5) for s in segments],
        reasons={r.code: r for r in Reason.objects.all()},
        channels=list(Channel.values),
        commitments={c.channel: c for c in ChannelCommitment.objects.all()},
        surveys=surveys,
        gesture_limit=GestureLimit.objects.filter(role=roles.AGENT)
        .values_list("max_value", flat=True)
        .first()
        or Decimal("30.00"),
    )
