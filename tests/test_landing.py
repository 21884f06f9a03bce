"""Each role lands on its work ("/", where signing in leads): an agent on their inbox —
the calls to return first, their open requests overdue first with the paused ones
marked, their new alerts —, a supervisor on their agency's queue, a manager and the
network direction on their dashboard; the DPO and partner staff keep their page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agences import roles
from relation_client.telephony.services import call_event_record
from relation_client.touchpoints.models import AlertKind, AlertStatus, Outcome, RequestStatus
from relation_client.touchpoints.services import (
    alert_acknowledge,
    alert_raise,
    request_wait_customer,
    touchpoint_log,
)
from tests.conftest import PASSWORD
from tests.factories import CustomerFactory, ReasonLookup, RequestFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")


@pytest.fixture
def camille(agent):
    """Camille answers on extension 2104."""
    agent.phone_extension = "2104"
    agent.save()
    return agent


@pytest.fixture
def marechal(camille):
    return CustomerFactory(
        first_name="Hélène",
        last_name="Maréchal",
        civility="mme",
        phones=["06 12 34 56 78"],
        home_agency=camille.agency,
        usual_contact=camille,
    )


def _missed_call(call_id="1733.42", minutes_ago=20):
    """Hélène Maréchal calls Camille's extension; nobody answers."""
    at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    call_event_record(call_id=call_id, kind="ringing", caller="0612345678", extension="2104", at=at)
    call, _new = call_event_record(
        call_id=call_id,
        kind="missed",
        caller="0612345678",
        extension="2104",
        at=at + datetime.timedelta(seconds=25),
    )
    return call


def _section(page: str, anchor: str) -> str:
    """The HTML of one section of the inbox, by its id."""
    found = re.search(rf'<section [^>]*id="{anchor}">(.*?)</section>', page, re.S)
    assert found, anchor
    return found.group(1)


# --- the agent's inbox ---------------------------------------------------------------------


def test_the_agent_lands_on_their_inbox_with_the_missed_call_first(
    login, camille, marechal, agency_lyon
):
    now = timezone.now()
    RequestFactory(
        agency=agency_lyon,
        assignee=camille,
        subject="Remboursement du pass Navigo",
        deadline=now - datetime.timedelta(hours=2),
    )
    call = _missed_call()
    page = login(camille).get(HOME).content.decode()
    assert "Bonjour, Camille" in page
    # the calls to return come first on the page, before their other requests
    assert page.index('id="a-rappeler"') < page.index('id="mes-demandes"')
    callbacks = _section(page, "a-rappeler")
    assert "Mme Hélène Maréchal" in callbacks
    assert 'href="tel:+33612345678"' in callbacks and "06 12 34 56 78" in callbacks
    assert call.callback.reference in callbacks
    assert "Appel manqué le" in callbacks
    # the callback is not listed twice; the overdue request is among the others
    others = _section(page, "mes-demandes")
    assert "Maréchal" not in others
    assert "Remboursement du pass Navigo" in others and "En retard" in others


def test_two_missed_calls_on_one_callback_are_counted(login, camille, marechal):
    first = _missed_call("1733.42", minutes_ago=40)
    # the second call joins the open callback (the same request to return)
    second = _missed_call("1733.43", minutes_ago=10)
    second.callback = first.callback
    second.save(update_fields=["callback"])
    callbacks = _section(login(camille).get(HOME).content.decode(), "a-rappeler")
    assert "2 appels manqués, le dernier le" in callbacks


def test_requests_overdue_first_then_by_deadline_and_the_paused_ones_marked(
    login, camille, agency_lyon
):
    now = timezone.now()

    def make(subject, hours, **extra):
        return RequestFactory(
            agency=agency_lyon,
            assignee=camille,
            subject=subject,
            deadline=now + datetime.timedelta(hours=hours),
            **extra,
        )

    make("Trajet annulé sur la ligne T2", 6)
    make("Carte Técély bloquée", -1)
    paused = make("Justificatif de domicile attendu", -8)
    request_wait_customer(request=paused, by=camille)
    make("Amende contestée", 2)
    page = login(camille).get(HOME)
    inbox = page.context["inbox"]
    assert [r.subject for r in inbox.requests] == [
        "Carte Técély bloquée",  # overdue
        "Justificatif de domicile attendu",  # past its deadline, but paused: not overdue
        "Amende contestée",
        "Trajet annulé sur la ligne T2",
    ]
    assert inbox.callbacks == []
    others = _section(page.content.decode(), "mes-demandes")
    assert others.count("En pause — en attente du client") == 1
    assert others.count(">En retard<") == 1


def test_a_follow_up_is_an_ordinary_request_and_a_paused_callback_no_call_to_return(
    login, camille, marechal, agency_lyon
):
    """« Suite à donner » opens a request like any other: among the others, not a call
    to return. A callback waiting for the customer (the agent called, left a message) is
    no call to return either."""
    touchpoint_log(
        agent=camille,
        customer=marechal,
        channel="counter",
        reason=ReasonLookup(code="subscription"),
        summary="Attestation employeur à envoyer",
        outcome=Outcome.FOLLOW_UP,
    )
    call = _missed_call()
    response = login(camille).get(HOME)
    inbox = response.context["inbox"]
    assert [r.pk for r in inbox.callbacks] == [call.callback_id]
    assert [r.subject for r in inbox.requests] == ["Attestation employeur à envoyer"]
    request_wait_customer(request=call.callback, by=camille)
    inbox = login(camille).get(HOME).context["inbox"]
    assert inbox.callbacks == []
    assert {r.subject for r in inbox.requests} >= {"Attestation employeur à envoyer"}
    assert call.callback_id in {r.pk for r in inbox.requests}


def test_only_their_own_requests_and_new_alerts(
    login, camille, colleague_lyon, agency_lyon, marechal
):
    RequestFactory(agency=agency_lyon, assignee=colleague_lyon, subject="Vélo'v en panne")
    RequestFactory(agency=agency_lyon, subject="Objet trouvé dans le métro B")
    RequestFactory(
        agency=agency_lyon,
        assignee=camille,
        subject="Horaires du tram T3",
        status=RequestStatus.ANSWERED,
    )
    seen = alert_raise(
        kind=AlertKind.HANDOVER,
        recipient=camille,
        cause="test:vue",
        code="legacy",
        params={"text": "Karim vous confie M. Jérôme Gaël-Noël"},
    )
    seen = alert_acknowledge(alert=seen, by=camille)
    alert_raise(
        kind=AlertKind.REPEAT_CONTACT,
        recipient=camille,
        customer=marechal,
        cause="test:nouvelle",
        code="legacy",
        params={"text": "Mme Hélène Maréchal a appelé trois fois cette semaine"},
    )
    alert_raise(
        kind=AlertKind.HANDOVER,
        recipient=colleague_lyon,
        cause="test:karim",
        code="legacy",
        params={"text": "Camille vous confie Mme Zoé Lefèvre"},
    )
    page = login(camille).get(HOME).content.decode()
    assert "Vélo&#x27;v en panne" not in page and "Objet trouvé" not in page
    assert "Horaires du tram T3" not in page
    alerts = _section(page, "alertes-nouvelles")
    assert "Mme Hélène Maréchal a appelé trois fois cette semaine" in alerts
    assert "Gaël-Noël" not in alerts and "Zoé" not in alerts
    assert seen.status == AlertStatus.ACKNOWLEDGED


def test_the_rest_of_their_requests_is_a_link_to_the_queue_filtered_on_them(
    login, camille, agency_lyon
):
    RequestFactory.create_batch(35, agency=agency_lyon, assignee=camille)
    page = login(camille).get(HOME)
    inbox = page.context["inbox"]
    assert len(inbox.requests) == 30 and inbox.request_total == 35
    assert 'href="/demandes/?responsable=moi"' in page.content.decode()
    assert "Voir la suite dans la file (5 de plus)" in page.content.decode()


def test_the_inbox_costs_two_queries_whatever_the_agents_load(
    login, camille, marechal, agency_lyon, django_assert_num_queries
):
    for number in range(12):
        _missed_call(f"1733.{number}", minutes_ago=30 + number)
    RequestFactory.create_batch(40, agency=agency_lyon, assignee=camille)
    for number in range(8):
        alert_raise(
            kind=AlertKind.HANDOVER,
            recipient=camille,
            cause=f"test:{number}",
            code="legacy",
            params={"text": f"Client confié n° {number}"},
        )
    client = login(camille)
    # session (user, agent: Redis), team size, the reasons of the walk-in
    # form, the bar's counts; the inbox: its requests (callbacks and the others), its alerts
    with django_assert_num_queries(6):
        response = client.get(HOME)
    inbox = response.context["inbox"]
    # each missed call opened its callback; 30 requests read, the callbacks first
    assert inbox.callback_total == 12 and len(inbox.callbacks) == 12
    assert inbox.request_total == 40 and len(inbox.requests) == 18


# --- the other roles ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("supervisor_lyon", "touchpoints:queue"),
        ("manager_lyon", "reconquete:dashboard"),
        ("director", "reconquete:dashboard"),
    ],
)
def test_each_role_lands_on_its_work(request, login, persona, landing):
    client = login(request.getfixturevalue(persona))
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == reverse(landing)
    assert client.get(response["Location"]).status_code == 200


def test_the_administrator_lands_like_the_director(login, make_staff, agency_lyon):
    admin = make_staff("admin", "Adèle Martin", roles.ADMINISTRATOR, agency_lyon)
    assert login(admin).get(HOME)["Location"] == reverse("reconquete:dashboard")


def test_signing_in_leads_the_supervisor_to_the_queue(client, supervisor_lyon):
    response = client.post(
        reverse("login"), {"username": "nathalie", "password": PASSWORD}, follow=True
    )
    assert [url for url, _status in response.redirect_chain] == [HOME, reverse("touchpoints:queue")]
    assert "Demandes en cours · Lyon Part-Dieu" in response.content.decode()


def test_a_next_page_still_wins_over_the_landing(client, supervisor_lyon):
    search = reverse("customers:search")
    response = client.post(
        f"{reverse('login')}?next={search}", {"username": "nathalie", "password": PASSWORD}
    )
    assert response["Location"] == search


def test_the_dpo_keeps_their_home_without_an_inbox(login, dpo):
    response = login(dpo).get(HOME)
    assert response.status_code == 200
    assert "Bonjour, Bertrand" in response.content.decode()
    assert response.context["inbox"] is None
    assert 'id="a-rappeler"' not in response.content.decode()


def test_partner_staff_keep_their_space(client, partner_user):
    client.force_login(partner_user)
    assert client.get(HOME)["Location"] == reverse("agences:partner_requests")
