"""GET /api/v1/customers/{id}/timeline/: every channel, newest first, keyset pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from relation_client.api.pagination import keyset_encode
from relation_client.touchpoints.models import Gesture, GestureKind, GestureStatus
from tests.api.conftest import error_of


def url(customer_id: int) -> str:
    return reverse("api:customer-timeline", args=[customer_id])


def walk(client, start: str) -> tuple[list[dict], int]:
    rows, next_url, pages = [], start, 0
    while next_url:
        body = client.get(next_url).json()
        rows += body["results"]
        next_url, pages = body["next"], pages + 1
    return rows, pages


def test_the_cursor_walks_every_page_without_duplicates(
    api_client, helene, log_touchpoints, make_customer
):
    start = timezone.now() - datetime.timedelta(minutes=1)
    log_touchpoints(helene, 39, start=start)  # one every three days
    # four at the same instant, 20th to 23rd newest: ties across the first page boundary,
    # broken by the id
    moment = start - datetime.timedelta(days=3 * 18, hours=1)
    tied = [log_touchpoints(helene, 1, start=moment)[0] for _ in range(4)]
    log_touchpoints(make_customer("Jean", "Dupont"), 3)  # someone else's history

    rows, pages = walk(api_client, url(helene.pk) + "?size=20")

    ids = [row["id"] for row in rows]
    assert pages == 3
    assert len(ids) == len(set(ids)) == 43
    assert helene.touchpoints.count() == 43
    keys = [(row["occurred_at"], row["id"]) for row in rows]
    assert [datetime.datetime.fromisoformat(at) for at, _ in keys] == sorted(
        (datetime.datetime.fromisoformat(at) for at, _ in keys), reverse=True
    )
    assert ids[19:23] == sorted((t.pk for t in tied), reverse=True)


def test_an_entry_says_who_what_and_where(api_client, helene, agent, log_touchpoints):
    touchpoint = log_touchpoints(helene, 1)[0]
    Gesture.objects.create(
        touchpoint=touchpoint,
        customer=helene,
        agency=agent.agency,
        granted_by=agent,
        kind=GestureKind.FREE_TRIPS,
        value=Decimal("4.20"),
        reason="Tram T1 supprimé deux matins de suite.",
        status=GestureStatus.GRANTED,
    )

    entry = api_client.get(url(helene.pk)).json()["results"][0]

    assert entry["id"] == touchpoint.pk
    assert entry["kind"] == "interaction"
    assert (entry["channel"], entry["direction"]) == ("phone", "inbound")
    assert entry["reason"] == {"code": "information", "label": "Information"}
    assert entry["agent"] == {"id": agent.pk, "display_name": "Camille Rousseau"}
    assert entry["agency"] == {"id": agent.agency_id, "name": "Lyon Part-Dieu"}
    assert entry["outcome"] == "answered"
    assert entry["request"] is None
    assert entry["gesture"] == {"kind": "free_trips", "value": "4.20", "status": "granted"}


@pytest.mark.parametrize("history", [1, 60])
def test_query_count_does_not_grow_with_history(
    api_client, helene, log_touchpoints, history, django_assert_num_queries
):
    log_touchpoints(helene, history)

    # session, agent (permission; the user comes from Redis), the customer exists, one page of touchpoints
    # with agent, agency, reason, request and gesture joined, the audit row
    with django_assert_num_queries(5):
        response = api_client.get(url(helene.pk))

    assert len(response.json()["results"]) == min(history, 20)


def test_the_last_page_has_no_next(api_client, helene, log_touchpoints):
    log_touchpoints(helene, 3)

    assert api_client.get(url(helene.pk)).json()["next"] is None


@pytest.mark.parametrize(
    "cursor", ["pas-un-curseur", keyset_encode(timezone.now(), 1)[:-3], "WzEsMl0"]
)
def test_a_tampered_cursor_is_a_400(api_client, helene, cursor):
    response = api_client.get(url(helene.pk), {"cursor": cursor})

    assert response.status_code == 400
    assert (error_of(response)["code"], error_of(response)["field"]) == ("invalid_cursor", "cursor")


def test_unknown_customer_is_a_json_404(api_client):
    response = api_client.get(url(987654))

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_anonymous_cannot_read_the_timeline(anonymous_client, helene, log_touchpoints):
    log_touchpoints(helene, 1)

    response = anonymous_client.get(url(helene.pk))

    assert response.status_code == 401
    assert "horaires" not in response.content.decode()
