"""POST /api/v1/ridership/: the ticketing partner's monthly trips, in batches."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agences import roles
from reconquete.models import RidershipMonth
from relation_client.api.services import api_token_create

pytestmark = pytest.mark.django_db

URL = reverse("reconquete_api:ridership-bulk")
BATCH = [
    {"card": "TCL 0042 1968", "month": "2026-09", "trips": 38},
    {"contract": "ABO-2019-0042", "month": "2026-10", "trips": 12},
]


@pytest.fixture
def helene(make_customer):
    return make_customer(cards=["TCL 0042 1968"], contracts=["ABO-2019-0042"])


@pytest.fixture
def manager_api(manager_lyon):
    client = APIClient()
    client.force_login(manager_lyon.user)
    return client


@pytest.fixture
def ticketing(make_staff, agency_lyon):
    """The billettique's token: ridership:write only."""
    account = make_staff("billettique", "Billettique TCL", roles.AGENT, agency_lyon)

    def client_with(*scopes):
        _token, raw = api_token_create(name="Billettique", agent=account, scopes=list(scopes))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return client_with


def test_a_batch_is_upserted_and_sending_it_again_changes_nothing(helene, manager_api):
    response = manager_api.post(URL, BATCH, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"received": 2, "created": 2, "updated": 0, "unchanged": 0}
    again = manager_api.post(URL, BATCH, format="json")
    assert again.json() == {"received": 2, "created": 0, "updated": 0, "unchanged": 2}
    assert RidershipMonth.objects.filter(customer=helene).count() == 2


def test_a_bad_batch_lists_every_row_in_the_one_error_shape(helene, manager_api):
    batch = [
        BATCH[0],
        {"card": "TCL 0000", "month": "2026-09", "trips": 3},
        {"card": "TCL 0042 1968", "month": "septembre", "trips": -1},
    ]
    response = manager_api.post(URL, batch, format="json")
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == ("invalid_batch", None)
    assert body["detail"] == "Lot refusé : 3 erreur(s), rien n'a été enregistré."
    assert body["errors"] == [
        {
            "row": 1,
            "code": "unknown_card",
            "field": "card",
            "detail": "Client inconnu : aucune carte n° TCL0000.",
        },
        {
            "row": 2,
            "code": "invalid_month",
            "field": "month",
            "detail": "Mois invalide « septembre » : attendu AAAA-MM.",
        },
        {
            "row": 2,
            "code": "negative_trips",
            "field": "trips",
            "detail": "Nombre de voyages négatif (-1).",
        },
    ]
    assert body["error_count"] == 3
    assert not RidershipMonth.objects.exists()


def test_type_errors_and_unknown_fields_come_back_per_row(helene, manager_api):
    response = manager_api.post(
        URL,
        [BATCH[0], {"card": "TCL 0042 1968", "month": "2026-09", "trips": "beaucoup", "zone": 2}],
        format="json",
    )
    assert response.status_code == 400
    errors = {(e["row"], e["field"], e["code"]) for e in response.json()["errors"]}
    assert errors == {(1, "trips", "invalid"), (1, "zone", "unknown_field")}
    assert not RidershipMonth.objects.exists()


def test_the_body_must_be_a_list(helene, manager_api):
    response = manager_api.post(URL, BATCH[0], format="json")
    body = response.json()
    assert (response.status_code, body["code"], body["error_count"]) == (400, "invalid_batch", 1)
    assert [(e["row"], e["code"]) for e in body["errors"]] == [(None, "not_a_list")]


def test_a_partner_token_needs_the_ridership_scope(helene, ticketing):
    assert ticketing("ridership:write").post(URL, BATCH, format="json").status_code == 200
    refused = ticketing("customers:read").post(URL, BATCH, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")


def test_a_counter_agent_or_a_stranger_must_not_get_in(helene, agent):
    client = APIClient()
    assert client.post(URL, BATCH, format="json").status_code in (401, 403)
    client.force_login(agent.user)
    response = client.post(URL, BATCH, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert not RidershipMonth.objects.exists()
