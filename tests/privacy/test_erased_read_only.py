"""An erased record is read-only for everyone: every write about the customer goes
through `customer_ensure_writable` and is refused (`customer_erased`, 409 on the API); the
customer page shows the record as read-only, without its forms."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from relation_client.customers.consents import consent_record
from relation_client.customers.models import Consent, Customer, CustomerMerge
from relation_client.customers.services import customer_merge, customer_merge_undo, customer_update
from relation_client.touchpoints.models import Gesture, Reason, Request, Touchpoint
from relation_client.touchpoints.services import gesture_grant, touchpoint_log
from socle.errors import DomainError
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

ERASED_TEXT = "lecture seule"


@pytest.fixture
def api_client(agent):
    client = APIClient()
    client.force_login(agent.user)
    return client


def refused(call) -> DomainError:
    with pytest.raises(DomainError) as error:
        call()
    assert error.value.code == "customer_erased"
    assert ERASED_TEXT in str(error.value)
    return error.value


def test_the_api_refuses_to_update_an_erased_customer(api_client, erased_customer):
    response = api_client.patch(
        reverse("api:customer-detail", args=[erased_customer.pk]),
        {"first_name": "Zoé", "phones": ["06 12 34 56 78"]},
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "customer_erased"
    erased_customer.refresh_from_db()
    assert erased_customer.first_name == "Anonyme"
    assert not erased_customer.contact_points.exists()


def test_the_update_service_refuses_too(erased_customer):
    refused(lambda: customer_update(customer=erased_customer, changes={"needs": "Fauteuil"}))


def test_the_api_refuses_to_log_a_touchpoint_for_an_erased_customer(api_client, erased_customer):
    response = api_client.post(
        reverse("api:touchpoint-log"),
        {
            "customer": erased_customer.pk,
            "channel": "phone",
            "direction": "inbound",
            "reason": "lost_property",
            "summary": "A oublié son écharpe bordeaux dans le tram T1, arrêt Gratte-Ciel.",
        },
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "customer_erased"
    assert not Touchpoint.objects.filter(customer=erased_customer).exclude(summary="[effacé]")
    assert not Request.objects.filter(customer=erased_customer).exists()


def test_logging_from_the_page_is_refused(agent_client, agent, erased_customer):
    refused(
        lambda: touchpoint_log(
            agent=agent,
            customer=erased_customer,
            channel="phone",
            reason=Reason.objects.get(code="information"),
            summary="Question sur les horaires de la ligne C3",
        )
    )


def test_a_consent_change_is_refused(agent, erased_customer):
    refused(
        lambda: consent_record(
            customer=erased_customer,
            channel="sms",
            purpose="marketing",
            given=True,
            source="counter",
            by=agent,
        )
    )
    assert not Consent.objects.filter(customer=erased_customer).exists()


def test_the_consent_page_shows_the_refusal(agent_client, erased_customer):
    response = agent_client.post(
        reverse("customers:consent_change", args=[erased_customer.pk]),
        {
            "consentement-purpose": "marketing",
            "consentement-channel": "sms",
            "consentement-decision": "accorde",
            "consentement-source": "phone",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert not Consent.objects.filter(customer=erased_customer).exists()


def test_a_gesture_is_refused(agent, erased_customer):
    refused(
        lambda: gesture_grant(
            customer=erased_customer,
            agent=agent,
            kind="refund",
            value=Decimal("5.00"),
            reason="Retard de la ligne C3 à l'arrêt Bellecour",
            channel="phone",
        )
    )
    assert not Gesture.objects.filter(customer=erased_customer).exists()


@pytest.mark.parametrize("erased_side", ["survivor", "absorbed"])
def test_a_merge_with_an_erased_record_is_refused(
    erased_side, make_customer, erased_customer, supervisor_lyon
):
    other = make_customer("Zoé", "Besançon-Lefèvre", phones=["04 78 00 11 23"])
    pair = {"survivor": erased_customer, "absorbed": other}
    if erased_side == "absorbed":
        pair = {"survivor": other, "absorbed": erased_customer}
    refused(lambda: customer_merge(**pair, by=supervisor_lyon))
    assert Customer.objects.filter(pk__in=[erased_customer.pk, other.pk]).count() == 2
    assert not CustomerMerge.objects.exists()


def test_undoing_a_merge_into_a_record_erased_since_is_refused(make_customer, supervisor_lyon, dpo):
    from relation_client.privacy.services import customer_erase

    keep = make_customer("Zoé", "Besançon", phones=["04 78 00 11 22"])
    twin = make_customer("Zoe", "Besancon", phones=["04 78 00 11 24"])
    customer_merge(survivor=keep, absorbed=twin, by=supervisor_lyon)
    customer_erase(customer=keep, user=dpo.user, reason="Courrier recommandé du 2 avril")
    refused(lambda: customer_merge_undo(merge=CustomerMerge.objects.get(), by=supervisor_lyon))
    assert not Customer.objects.filter(pk=twin.pk).exists()


def test_the_customer_page_is_read_only(agent_client, erased_customer):
    page = agent_client.get(erased_customer.get_absolute_url()).content.decode()
    assert 'id="fiche-effacee"' in page
    assert reverse("customers:consent_change", args=[erased_customer.pk]) not in page
    assert reverse("touchpoints:gesture_grant", args=[erased_customer.pk]) not in page
    assert 'name="summary"' not in page


def test_a_live_customer_is_still_writable(agent, helene):
    consent_record(
        customer=helene,
        channel="sms",
        purpose="marketing",
        given=True,
        source="counter",
        by=agent,
        at=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert Consent.objects.filter(customer=helene).count() == 1
