"""Gesture pages: the form from the customer page (touchpoints:gesture_grant), the agency's
gestures with approvals (touchpoints:gestures) and the one-click decision."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from relation_client.touchpoints.models import Gesture, GestureKind, GestureStatus
from relation_client.touchpoints.services import gesture_grant

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
GESTURES = reverse("touchpoints:gestures")


def grant_url(customer):
    return reverse("touchpoints:gesture_grant", args=[customer.pk])


def form_data(value="15.00", reason="Bus 38 supprimé, client resté sur le quai"):
    return {
        "geste-kind": GestureKind.FREE_TRIPS,
        "geste-value": value,
        "geste-channel": "counter",
        "geste-reason": reason,
    }


@pytest.fixture
def pending(helene, agent):
    return gesture_grant(
        customer=helene,
        agent=agent,
        kind=GestureKind.REFUND,
        value=Decimal("80"),
        reason="Abonnement prélevé deux fois",
        channel="phone",
    )


def test_get_the_form_fragment_for_htmx_and_a_page_otherwise(agent_client, helene):
    fragment = agent_client.get(grant_url(helene), **HTMX).content.decode()
    assert fragment.lstrip().startswith('<div id="gesture-form">')
    assert "<html" not in fragment
    assert 'for="id_geste-value"' in fragment and 'for="id_geste-reason"' in fragment
    assert "Geste commercial pour Mme Hélène Dupont-Lefèvre" in fragment
    page = agent_client.get(grant_url(helene)).content.decode()
    assert "<html" in page and 'id="gesture-form"' in page


def test_post_grants_and_returns_to_the_customer_page(agent_client, helene):
    response = agent_client.post(grant_url(helene), form_data())
    assert response.status_code == 302
    assert response["Location"] == helene.get_absolute_url()
    gesture = Gesture.objects.get()
    assert gesture.status == GestureStatus.GRANTED and gesture.value == Decimal("15.00")


def test_htmx_post_answers_with_a_fresh_fragment(agent_client, helene, supervisor_lyon):
    response = agent_client.post(grant_url(helene), form_data(value="45"), **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Trigger"] == "gestureGranted"
    assert escape("attend l'approbation d'un superviseur") in page
    assert Gesture.objects.get().status == GestureStatus.PENDING


def test_a_zero_value_is_refused_on_the_field(agent_client, helene):
    response = agent_client.post(grant_url(helene), form_data(value="0"))
    assert response.status_code == 400
    assert escape("La valeur du geste doit être supérieure à zéro.") in response.content.decode()
    assert not Gesture.objects.exists()


def test_an_unknown_customer_is_404(agent_client):
    assert agent_client.get(reverse("touchpoints:gesture_grant", args=[999999])).status_code == 404


def test_anonymous_cannot_grant(client, helene):
    response = client.post(grant_url(helene), form_data())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Gesture.objects.exists()


def test_the_page_shows_budget_month_and_pending(agent_client, pending, helene, agent):
    gesture_grant(
        customer=helene,
        agent=agent,
        kind=GestureKind.GIFT,
        value=Decimal("12.50"),
        reason="Parapluie offert un jour d'orage",
        channel="counter",
    )
    page = agent_client.get(GESTURES).content.decode()
    assert "12,50 € accordés sur 500,00 € alloués" in page
    assert "80,00 € en attente d'approbation." in page
    assert "Parapluie offert un jour d" in page
    assert "Abonnement prélevé deux fois" in page
    # an agent sees the pending gesture, not the buttons
    assert reverse("touchpoints:gesture_decide", args=[pending.pk]) not in page


def test_the_supervisor_approves_in_one_click(client, supervisor_lyon, pending):
    client.force_login(supervisor_lyon.user)
    page = client.get(GESTURES).content.decode()
    decide = reverse("touchpoints:gesture_decide", args=[pending.pk])
    assert f'action="{decide}"' in page
    response = client.post(decide, {"decision": "approve"})
    assert response.status_code == 302 and response["Location"] == GESTURES
    pending.refresh_from_db()
    assert pending.status == GestureStatus.APPROVED
    assert "Geste approuvé." in client.get(GESTURES).content.decode()


def test_an_agent_gets_403_on_the_decision(agent_client, pending):
    response = agent_client.post(
        reverse("touchpoints:gesture_decide", args=[pending.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == GestureStatus.PENDING


def test_another_agencys_manager_gets_404_and_sees_nothing(client, manager_villeurbanne, pending):
    client.force_login(manager_villeurbanne.user)
    response = client.post(
        reverse("touchpoints:gesture_decide", args=[pending.pk]), {"decision": "refuse"}
    )
    assert response.status_code == 404
    assert "Abonnement prélevé deux fois" not in client.get(GESTURES).content.decode()
    pending.refresh_from_db()
    assert pending.status == GestureStatus.PENDING


@pytest.mark.parametrize("count", [1, 10])
def test_page_queries_do_not_grow(
    client, supervisor_lyon, helene, agent, count, django_assert_num_queries
):
    for index in range(count):
        for value in ("10", "50"):  # one granted, one pending
            gesture_grant(
                customer=helene,
                agent=agent,
                kind=GestureKind.GIFT,
                value=Decimal(value),
                reason=f"Geste n° {index}",
                channel="counter",
            )
    client.force_login(supervisor_lyon.user)
    # session (user, agent, permissions: Redis; for the
    # approve buttons), the budget aggregate, pending gestures, this month's gestures
    # ... and the alert count in the navigation bar
    with django_assert_num_queries(5):
        response = client.get(GESTURES)
    assert response.status_code == 200
