"""reconquete:call_list and the two-click outcome (reconquete:target_outcome)."""

import pytest
from django.urls import reverse

from reconquete.models import CampaignStatus, ReconquestContact
from relation_client.customers.consents import consent_current, consent_record
from relation_client.touchpoints.models import Reason, Touchpoint

pytestmark = pytest.mark.django_db

URL = reverse("reconquete:call_list")


@pytest.fixture
def campaign(make_campaign, agent, agency_lyon):
    return make_campaign(agent, [agency_lyon], status=CampaignStatus.ACTIVE)


@pytest.fixture
def make_lost(make_customer, make_case, make_target, campaign, agent):
    def make(first_name, *, usual=False, to=None, touchpoints=0):
        customer = make_customer(
            first_name, "Mercier", phones=["06 12 34 56 78"], usual_contact=agent if usual else None
        )
        consent_record(
            customer=customer, channel="phone", purpose="marketing", given=True, source="counter"
        )
        target = make_target(
            campaign, make_case(customer), agent=to or agent, is_usual_contact=usual
        )
        for n in range(touchpoints):
            Touchpoint.objects.create(
                customer=customer,
                channel="counter",
                reason=Reason.objects.get(code="information"),
                summary=f"Passage n° {n}",
                agency_id=customer.home_agency_id,
                occurred_at=target.case.opened_at,
            )
        return target

    return make


def test_usual_contact_customers_come_first(agent_client, make_lost, colleague_lyon):
    make_lost("Agnès")
    make_lost("Zoé", usual=True)
    make_lost("Loïc", to=colleague_lyon)  # someone else's list
    response = agent_client.get(URL)
    assert [item["target"].customer.first_name for item in response.context["items"]] == [
        "Zoé",
        "Agnès",
    ]
    content = response.content.decode()
    assert (
        "Votre client habituel" in content
        and "Un mois offert sur l&#x27;abonnement Tout Lyon." in content
    )
    assert "Noter le résultat" in content


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_costs_the_same_queries_whatever_its_length(
    agent_client, make_lost, count, django_assert_num_queries
):
    for n in range(count):
        make_lost(f"Léa{n}", usual=n % 2 == 0, touchpoints=4)
    # session (user, agent: Redis), count, targets (joined to customer, segment, campaign, case),
    # the latest three touchpoints of each (joined to their reason), contact points,
    # the count of subscriptions to renew (the link to the renewals), alert count
    # (navigation)
    with django_assert_num_queries(7):
        response = agent_client.get(URL)
    assert len(response.context["items"]) == count
    assert len(response.context["items"][0]["target"].customer.latest_touchpoints) == 3


def test_two_clicks_log_the_outcome_as_a_touchpoint(agent_client, make_lost):
    target = make_lost("Agnès")
    response = agent_client.post(
        reverse("reconquete:target_outcome", args=[target.pk]),
        {
            f"t{target.pk}-outcome": "accepted",
            f"t{target.pk}-channel": "phone",
            f"t{target.pk}-note": "",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Offre acceptée" in response.content.decode()
    contact = ReconquestContact.objects.get()
    assert (contact.outcome, contact.touchpoint.customer) == ("accepted", target.customer)
    assert [
        item["target"] for item in agent_client.get(URL, {"vue": "traites"}).context["items"]
    ] == [target]
    assert agent_client.get(URL).context["items"] == []


def test_asked_not_to_be_contacted_withdraws_the_consent(agent_client, make_lost):
    target = make_lost("Agnès")
    response = agent_client.post(
        reverse("reconquete:target_outcome", args=[target.pk]),
        {f"t{target.pk}-outcome": "do_not_contact", f"t{target.pk}-channel": "phone"},
    )
    assert response.status_code == 302
    phone = consent_current(customer=target.customer)[("phone", "marketing")]
    assert (phone.given, phone.source) == (False, "customer_request")


def test_someone_else_s_target_must_not_get_in(
    client, make_lost, colleague_lyon, agent_villeurbanne
):
    target = make_lost("Agnès")
    for other in (colleague_lyon, agent_villeurbanne):
        client.force_login(other.user)
        response = client.post(
            reverse("reconquete:target_outcome", args=[target.pk]),
            {f"t{target.pk}-outcome": "accepted", f"t{target.pk}-channel": "phone"},
        )
        assert response.status_code == 404
        assert client.get(URL).context["items"] == []
    assert not ReconquestContact.objects.exists()
