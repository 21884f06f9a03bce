"""POST /api/v1/subscriptions/: contracts from the ticketing partner, in batches."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reconquete.models import Subscription

pytestmark = pytest.mark.django_db

URL = reverse("reconquete_api:subscriptions-bulk")
ROW = {
    "contract": "ABO-2026-00042",
    "card": "TCL 0042 1968",
    "product": "Pass Partout annuel",
    "start_date": "2026-01-01",
    "end_date": "31/12/2026",
    "status": "active",
    "sales_channel": "web",
}


@pytest.fixture
def manager_api(manager_lyon, make_customer):
    make_customer(cards=["TCL 0042 1968"])
    client = APIClient()
    client.force_login(manager_lyon.user)
    return client


def test_contracts_are_upserted_on_their_number(manager_api):
    assert manager_api.post(URL, [ROW], format="json").json()["created"] == 1
    changed = manager_api.post(URL, [{**ROW, "status": "cancelled"}], format="json")
    assert changed.json() == {"received": 1, "created": 0, "updated": 1, "unchanged": 0}
    assert Subscription.objects.get().status == "cancelled"


def test_a_bad_row_refuses_the_batch(manager_api):
    response = manager_api.post(
        URL, [ROW, {**ROW, "contract": "ABO-2", "status": "perdu"}], format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "row": 1,
            "code": "invalid_status",
            "field": "status",
            "detail": "Statut inconnu « perdu » : active, ended, cancelled, suspended.",
        }
    ]
    assert not Subscription.objects.exists()


def test_a_counter_agent_must_not_get_in(agent):
    client = APIClient()
    client.force_login(agent.user)
    assert client.post(URL, [ROW], format="json").status_code == 403
