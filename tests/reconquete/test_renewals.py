"""Renewals to plan ("/reconquete/renouvellements/"): the usual contact's subscribers
whose subscription ends within 30 days with nothing after it, and the retention call's
outcome, logged like the call list's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reconquete.models import Subscription
from relation_client.customers.consents import consent_current, consent_record
from relation_client.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db

URL = reverse("reconquete:renewals")


@pytest.fixture
def subscribe(db):
    counter = {"n": 0}

    def make(customer, *, ends_in: int | None, starts: datetime.date | None = None, **fields):
        counter["n"] += 1
        today = timezone.localdate()
        fields.setdefault("status", "active")
        return Subscription.objects.create(
            customer=customer,
            contract_number=f"ABO-2026-{counter['n']:04d}",
            product=fields.pop("product", "Pass Partout mensuel"),
            start_date=starts or datetime.date(2025, 1, 1),
            end_date=today + datetime.timedelta(days=ends_in) if ends_in is not None else None,
            sales_channel="counter",
            **fields,
        )

    return make


@pytest.fixture
def renewals(make_customer, subscribe, agent, colleague_lyon, agent_villeurbanne):
    """Camille's customers: Agnès ends in 20 days (to call), Bérénice in 20 days but already
    renewed, Céleste in 45 days; Denis, a colleague's customer, in 10 days; Éloïse, of
    Villeurbanne, in 5 days."""
    agnes = make_customer("Agnès", "Lemaître", usual_contact=agent)
    berenice = make_customer("Bérénice", "Fournier", usual_contact=agent)
    celeste = make_customer("Céleste", "Garnier", usual_contact=agent)
    denis = make_customer("Denis", "Brûlé", usual_contact=colleague_lyon)
    eloise = make_customer(
        "Éloïse", "Mercier", usual_contact=agent_villeurbanne, home_agency=agent_villeurbanne.agency
    )
    due = subscribe(agnes, ends_in=20)
    renewed = subscribe(berenice, ends_in=20)
    subscribe(
        berenice,
        ends_in=None,
        starts=renewed.end_date + datetime.timedelta(days=1),
        product="Pass Partout annuel",
    )
    subscribe(celeste, ends_in=45)
    colleague_s = subscribe(denis, ends_in=10)
    subscribe(eloise, ends_in=5)
    return {"due": due, "colleague": colleague_s, "agnes": agnes, "denis": denis}


def _shown(response) -> list[str]:
    return [s.customer.first_name for s in response.context["page"].object_list]


def test_the_agent_sees_their_subscribers_ending_within_the_month_unrenewed(agent_client, renewals):
    response = agent_client.get(URL)
    assert response.status_code == 200
    # not Bérénice (renewed), not Céleste (45 days), not Denis nor Éloïse (not hers)
    assert _shown(response) == ["Agnès"]
    content = response.content.decode()
    assert renewals["agnes"].get_absolute_url() in content
    assert "Pass Partout mensuel" in content
    assert reverse("reconquete:renewal_call", args=[renewals["due"].pk]) in content


def test_a_supervisor_sees_their_agency_by_end_date(login, supervisor_lyon, renewals):
    client = login(supervisor_lyon)
    assert _shown(client.get(URL)) == ["Denis", "Agnès"]  # 10 days, then 20
    assert _shown(client.get(URL, {"vue": "miens"})) == []


def test_marketing_consent_decides_whether_an_offer_may_be_noted(agent_client, renewals, agent):
    response = agent_client.get(URL)
    assert "non recueillie" in response.content.decode()
    assert [v for v, _l in response.context["page"].object_list[0].outcomes] == [
        "reached",
        "unreachable",
        "do_not_contact",
    ]
    # an offer cannot be recorded without the consent, whatever the form sends
    agent_client.post(
        reverse("reconquete:renewal_call", args=[renewals["due"].pk]), {"outcome": "accepted"}
    )
    assert not Touchpoint.objects.filter(customer=renewals["agnes"]).exists()
    consent_record(
        customer=renewals["agnes"],
        channel="phone",
        purpose="marketing",
        given=True,
        source="counter",
        by=agent,
    )
    response = agent_client.get(URL)
    assert "accordée le" in response.content.decode()
    assert "accepted" in [v for v, _l in response.context["page"].object_list[0].outcomes]
    consent_record(
        customer=renewals["agnes"],
        channel="phone",
        purpose="marketing",
        given=False,
        source="customer_request",
        by=agent,
    )
    content = agent_client.get(URL).content.decode()
    assert "retirée le" in content and "pas d'offre commerciale" in content
    assert 'value="accepted"' not in content


def test_the_call_is_logged_on_the_timeline(agent_client, renewals):
    response = agent_client.post(
        reverse("reconquete:renewal_call", args=[renewals["due"].pk]),
        {"outcome": "do_not_contact", "note": "Déménage à Grenoble en janvier."},
    )
    assert response.status_code == 302
    touchpoint = Touchpoint.objects.get(customer=renewals["agnes"])
    assert (touchpoint.direction, touchpoint.channel, touchpoint.reason.code) == (
        "outbound",
        "phone",
        "subscription",
    )
    assert touchpoint.summary.startswith("Appel de fidélisation : « Pass Partout mensuel » se")
    assert touchpoint.summary.endswith(
        "ne veut plus être contacté. Déménage à Grenoble en janvier."
    )
    phone = consent_current(customer=renewals["agnes"])[("phone", "marketing")]
    assert (phone.given, phone.source) == (False, "customer_request")
    assert "Déjà appelé" in agent_client.get(URL).content.decode()


def test_another_agent_s_subscriber_must_not_be_called_from_here(agent_client, renewals):
    response = agent_client.post(
        reverse("reconquete:renewal_call", args=[renewals["colleague"].pk]), {"outcome": "reached"}
    )
    assert response.status_code == 404
    assert not Touchpoint.objects.filter(customer=renewals["denis"]).exists()


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_costs_the_same_queries_whatever_its_length(
    agent_client, make_customer, subscribe, agent, count, django_assert_num_queries
):
    for n in range(count):
        subscribe(make_customer(f"Léa{n}", "Rivière", usual_contact=agent), ends_in=n + 1)
    # session (user, agent, permissions: Redis), count, the page (joined to the
    # customer, the usual contact and the segment; consent and call as subqueries),
    # alert count (navigation)
    with django_assert_num_queries(4):
        response = agent_client.get(URL)
    assert len(response.context["page"].object_list) == count


def test_the_call_list_says_how_many_renewals_to_plan(agent_client, renewals):
    content = agent_client.get(reverse("reconquete:call_list")).content.decode()
    assert "1 abonnement de vos clients se termine dans le mois sans renouvellement" in content
    assert URL in content
