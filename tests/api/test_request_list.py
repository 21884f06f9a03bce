"""GET /api/v1/requests/: the queue, oldest deadline first, then the segment's priority."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from relation_client.customers.models import Segment
from relation_client.touchpoints.models import Outcome, Reason, Request, RequestStatus
from relation_client.touchpoints.services import touchpoint_log
from tests.api.conftest import error_of

URL = reverse("api:request-list")


@pytest.fixture
def ask(make_customer):
    """An inbound phone question, which opens a request in the agent's agency."""
    reason = Reason.objects.get(code="fare")

    def ask(agent, customer, occurred_at):
        touchpoint = touchpoint_log(
            agent=agent,
            customer=customer,
            channel="phone",
            reason=reason,
            summary=f"{customer.first_name} demande le tarif solidaire",
            occurred_at=occurred_at,
            outcome=Outcome.FOLLOW_UP,
        )
        return touchpoint.request

    return ask


@pytest.fixture
def queue(ask, agent, manager_villeurbanne, make_customer):
    """Four requests: two at the same instant (same deadline), one older, one elsewhere."""
    now = timezone.now().replace(microsecond=0)
    reduced_mobility = Segment.objects.get(priority=1)
    occasional = make_customer("Noël", "Bérard")
    priority = make_customer("Zoé", "Ñúñez", segment=reduced_mobility)
    return {
        "older": ask(agent, make_customer("Amélie", "Poulain"), now - datetime.timedelta(days=7)),
        "occasional": ask(agent, occasional, now - datetime.timedelta(hours=2)),
        "priority": ask(agent, priority, now - datetime.timedelta(hours=2)),
        "villeurbanne": ask(
            manager_villeurbanne, make_customer("Loïc", "Gaël"), now - datetime.timedelta(days=1)
        ),
    }


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_oldest_deadline_first_then_priority(api_client, queue, agency_lyon):
    listed = ids(api_client.get(URL, {"agency": agency_lyon.pk}))

    assert queue["occasional"].deadline == queue["priority"].deadline
    assert listed == [queue["older"].pk, queue["priority"].pk, queue["occasional"].pk]


def test_a_row_says_whose_it_is_and_whether_it_is_late(api_client, queue, agent):
    row = api_client.get(URL).json()["results"][0]

    assert row["id"] == queue["older"].pk
    assert row["customer"]["salutation"] == "Amélie Poulain"
    assert row["assignee"] == {"id": agent.pk, "display_name": "Camille Rousseau"}
    assert row["reason"] == {"code": "fare", "label": "Tarifs"}
    assert row["status"] == "open"
    assert row["overdue"] is True  # a week-old phone question: 24 working hours are gone


def test_filters_by_status(api_client, queue):
    Request.objects.filter(pk=queue["older"].pk).update(status=RequestStatus.CLOSED)

    assert ids(api_client.get(URL, {"status": "closed"})) == [queue["older"].pk]
    assert queue["older"].pk not in ids(api_client.get(URL, {"status": "open"}))


def test_cursor_pages_cover_the_queue_once(api_client, queue):
    seen, url = [], URL + "?page_size=1"
    while url:
        body = api_client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]

    # the agent's agency's three (Villeurbanne's is not theirs to read)
    assert sorted(seen) == sorted(r.pk for k, r in queue.items() if k != "villeurbanne")
    assert len(seen) == 3


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"status": "perdue"}, "status", "invalid_choice"),
        ({"agency": 987654}, "agency", "does_not_exist"),
    ],
)
def test_bad_filters_are_refused(api_client, params, field, code):
    response = api_client.get(URL, params)

    assert response.status_code == 400
    assert (error_of(response)["field"], error_of(response)["code"]) == (field, code)


def test_anonymous_cannot_read_the_queue(anonymous_client, queue):
    response = anonymous_client.get(URL)

    assert response.status_code == 401
    assert "tarif" not in response.content.decode()


def test_an_agent_reads_only_their_agencys_requests(api_client, queue, make_staff, agency_lyon):
    from agences import roles
    from relation_client.api.services import api_token_create

    elsewhere = queue["villeurbanne"]
    listed = ids(api_client.get(URL))
    assert queue["older"].pk in listed and elsewhere.pk not in listed
    assert api_client.get(reverse("api:request-detail", args=[elsewhere.pk])).status_code == 404

    director = make_staff("gaelle", "Gaëlle Moreau", roles.NETWORK_DIRECTOR, agency_lyon)
    _token, secret = api_token_create(name="Entrepôt", agent=director, scopes=["requests:read"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert elsewhere.pk in ids(api_client.get(URL))
