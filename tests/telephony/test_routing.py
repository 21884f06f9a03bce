"""The phone system asks where to put a caller: the usual contact when at work, else the
agency's queue when open, else the network's."""

import datetime

import pytest
from django.urls import reverse

from agences.models import AgentAbsence
from relation_client.telephony.services import call_route
from tests.factories import CustomerFactory
from tests.support.time import paris

TUESDAY_10 = paris(2026, 12, 8, 10, 0)
TUESDAY_NIGHT = paris(2026, 12, 8, 22, 0)
CHRISTMAS = paris(2026, 12, 25, 10, 0)


@pytest.fixture
def camille(agent):
    agent.phone_extension = "2104"
    agent.save()
    agent.agency.phone_queue = "agence-lyon"
    agent.agency.save()
    return agent


@pytest.fixture
def helene(camille):
    return CustomerFactory(
        first_name="Hélène",
        last_name="Maréchal",
        civility="mme",
        phones=["06 12 34 56 78"],
        home_agency=camille.agency,
        usual_contact=camille,
    )


def test_the_usual_contact_at_work_gets_the_call(db, helene, camille):
    route = call_route(caller="+33612345678", at=TUESDAY_10)
    assert route.target == "usual_contact"
    assert route.extension == "2104" and route.agent == camille
    assert route.customer == helene


def test_any_spelling_of_the_number_is_the_same_caller(db, helene):
    for spelling in ("0612345678", "06.12.34.56.78", "0033 6 12 34 56 78"):
        assert call_route(caller=spelling, at=TUESDAY_10).customer == helene


def test_an_absent_usual_contact_sends_the_call_to_the_agency_queue(db, helene, camille):
    AgentAbsence.objects.create(
        agent=camille, start=TUESDAY_10.date(), end=TUESDAY_10.date() + datetime.timedelta(days=2)
    )
    route = call_route(caller="0612345678", at=TUESDAY_10)
    assert route.target == "agency_queue" and route.queue == "agence-lyon"
    assert route.customer == helene  # still announced by name


def test_a_closed_agency_sends_the_call_to_the_network(db, helene, settings):
    settings.TELEPHONY_NETWORK_QUEUE = "reseau-tcl"
    for moment in (TUESDAY_NIGHT, CHRISTMAS):
        route = call_route(caller="0612345678", at=moment)
        assert route.target == "network_queue" and route.queue == "reseau-tcl"


def test_an_unknown_or_withheld_number_goes_to_the_network(db, helene):
    assert call_route(caller="0499999999", at=TUESDAY_10).target == "network_queue"
    assert call_route(caller="anonymous", at=TUESDAY_10).target == "network_queue"
    assert call_route(caller="", at=TUESDAY_10).customer is None


def test_a_deactivated_account_is_not_rung(db, helene, camille):
    camille.user.is_active = False
    camille.user.save()
    assert call_route(caller="0612345678", at=TUESDAY_10).target == "agency_queue"


def test_routing_takes_two_queries(db, helene, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        call_route(caller="0612345678", at=TUESDAY_10)


def test_the_api_answers_the_phone_system(db, helene, camille, make_token, monkeypatch):
    monkeypatch.setattr("relation_client.api.views.telephony.timezone.now", lambda: TUESDAY_10)
    _token, _raw, client = make_token("telephony", name="Autocommutateur")
    response = client.get(
        reverse("api:telephony-route"), {"caller": "+33 6 12 34 56 78", "call_id": "1733.42"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["target"] == "usual_contact" and body["extension"] == "2104"
    assert body["customer"]["salutation"] == helene.salutation
    assert body["agent"]["display_name"] == camille.display_name


def test_the_api_needs_the_telephony_scope(db, make_token):
    _token, _raw, client = make_token("customers:read")
    response = client.get(reverse("api:telephony-route"), {"caller": "0612345678"})
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
