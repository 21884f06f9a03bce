"""Issue #14, point 2: an exchange with a person who gave no name (a walk-in) is logged
from the home page in one step, counted in the identification rate's denominator, listed
for the agency, then attached to a customer found by the customer search (audit row, the
customer's timeline shows it) or made into a new customer."""

import pytest
from django.urls import reverse

from relation_client.customers.models import ContactKind, Customer
from relation_client.privacy.models import AuditAction, AuditEvent
from relation_client.touchpoints.models import Request, Touchpoint
from relation_client.touchpoints.selectors import identification_rate
from relation_client.touchpoints.services.walkins import walkin_log

pytestmark = pytest.mark.django_db

LIST = reverse("touchpoints:walkin_list")
LOG = reverse("touchpoints:walkin_log")
WALK_IN = {
    "channel": "counter",
    "reason": "information",
    "summary": "Itinéraire pour l'hôpital Édouard-Herriot depuis Bellecour",
    "contact_left": "06 98 76 54 32",
    "open_request": "",
}


def counter_rate(agency):
    table = identification_rate(agency_id=agency.pk)
    column = [code for code, _label in table.channels].index("counter")
    return table.rows[0].cells[column]


@pytest.fixture
def walkin(reasons, agent):
    def do(by=None, reason="information", summary="Horaires de la ligne C3 le dimanche", **kw):
        return walkin_log(
            agent=by or agent, channel="counter", reason=reasons[reason], summary=summary, **kw
        )

    return do


def test_the_home_page_offers_the_walk_in_form(agent_client):
    page = agent_client.get(reverse("home")).content.decode()
    assert "Échange sans nom" in page
    assert f'action="{LOG}"' in page
    assert 'name="contact_left"' in page


def test_the_dpo_home_page_does_not(login, dpo):
    assert f'action="{LOG}"' not in login(dpo).get(reverse("home")).content.decode()


def test_a_walk_in_is_logged_in_one_step_and_counted(agent_client, agent, agency_lyon):
    response = agent_client.post(LOG, WALK_IN)
    assert response.status_code == 302 and response["Location"] == LIST
    touchpoint = Touchpoint.objects.get()
    assert touchpoint.customer is None
    assert touchpoint.agent == agent and touchpoint.agency == agency_lyon
    assert touchpoint.contact_left == "06 98 76 54 32"
    # information, defaults: no request; the denominator counts the nameless exchange
    assert touchpoint.request is None
    cell = counter_rate(agency_lyon)
    assert (cell.named, cell.total) == (0, 1)
    page = agent_client.get(LIST).content.decode()
    assert "Itinéraire pour l&#x27;hôpital Édouard-Herriot" in page
    assert reverse("touchpoints:walkin_detail", args=[touchpoint.pk]) in page


def test_a_walk_in_complaint_opens_a_request_nobody_named(agent_client):
    agent_client.post(
        LOG, {**WALK_IN, "reason": "complaint", "summary": "Valideur hors service, amende"}
    )
    request = Request.objects.get()
    assert request.customer is None
    assert Touchpoint.objects.get().request == request


def test_a_walk_in_without_summary_is_refused_in_french(agent_client):
    response = agent_client.post(LOG, {**WALK_IN, "summary": ""})
    assert response.status_code == 422
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not Touchpoint.objects.exists()


def test_the_list_holds_the_agencys_unattached_exchanges_only(
    agent_client, walkin, agent_villeurbanne, helene, log
):
    ours = walkin(summary="Horaires de la ligne C3 le dimanche")
    walkin(by=agent_villeurbanne, summary="Accès au parc relais de Vaulx-en-Velin")
    log(helene, summary="Renouvellement de l'abonnement annuel")
    page = agent_client.get(LIST).content.decode()
    assert "Horaires de la ligne C3 le dimanche" in page
    assert "Vaulx-en-Velin" not in page
    assert "Renouvellement" not in page
    assert f'id="sans-nom-{ours.pk}"' in page


def test_attach_to_a_customer_found_by_name(agent_client, walkin, helene, agent, agency_lyon):
    touchpoint = walkin(reason="complaint", summary="Bus passé sans s'arrêter à Gratte-Ciel")
    detail = reverse("touchpoints:walkin_detail", args=[touchpoint.pk])
    found = agent_client.get(detail, {"q": "Dupont-Lefevre"}).content.decode()
    assert "Hélène" in found
    assert f'name="customer" value="{helene.pk}"' in found

    response = agent_client.post(
        reverse("touchpoints:walkin_attach", args=[touchpoint.pk]), {"customer": helene.pk}
    )
    assert response.status_code == 302 and response["Location"] == helene.get_absolute_url()
    touchpoint.refresh_from_db()
    assert touchpoint.customer == helene
    # the request it opened follows it
    assert Request.objects.get().customer == helene
    audit = AuditEvent.objects.get(action=AuditAction.CHANGE, customer_id=helene.pk)
    assert audit.actor == agent.user
    assert audit.changes == {"touchpoints": {"old": [], "new": [touchpoint.pk]}}
    # on the customer's timeline; out of the list; named in the rate
    timeline = agent_client.get(helene.get_absolute_url()).content.decode()
    assert "Bus passé sans s&#x27;arrêter à Gratte-Ciel" in timeline
    assert f'id="sans-nom-{touchpoint.pk}"' not in agent_client.get(LIST).content.decode()
    cell = counter_rate(agency_lyon)
    assert (cell.named, cell.total) == (1, 1)
    # attached once: the page and the action are gone
    assert agent_client.get(detail).status_code == 404


def test_create_a_customer_from_a_walk_in_in_one_step(agent_client, walkin, agency_lyon):
    touchpoint = walkin(contact_left="06 98 76 54 32")
    detail = agent_client.get(reverse("touchpoints:walkin_detail", args=[touchpoint.pk]))
    assert 'value="06 98 76 54 32"' in detail.content.decode()  # the number left, offered
    response = agent_client.post(
        reverse("touchpoints:walkin_customer_create", args=[touchpoint.pk]),
        {"fiche-first_name": "Loïc", "fiche-last_name": "Bérard", "fiche-phone": "06 98 76 54 32"},
    )
    customer = Customer.objects.get(last_name="Bérard")
    assert response["Location"] == customer.get_absolute_url()
    assert customer.home_agency == agency_lyon
    assert customer.contact_points.get(kind=ContactKind.PHONE).value == "+33698765432"
    touchpoint.refresh_from_db()
    assert touchpoint.customer == customer


def test_a_possible_duplicate_is_shown_before_creating(agent_client, walkin, helene):
    touchpoint = walkin()
    url = reverse("touchpoints:walkin_customer_create", args=[touchpoint.pk])
    # the number she left is Hélène's
    fields = {
        "fiche-first_name": "Hélène",
        "fiche-last_name": "Dupont",
        "fiche-phone": "06 12 34 56 78",
    }
    response = agent_client.post(url, fields)
    assert response.status_code == 422
    assert f'name="customer" value="{helene.pk}"' in response.content.decode()
    assert Customer.objects.count() == 1
    agent_client.post(url, {**fields, "fiche-confirm_duplicate": "on"})
    assert Customer.objects.count() == 2


def test_another_agencys_walk_in_is_a_404(agent_client, walkin, agent_villeurbanne, helene):
    theirs = walkin(by=agent_villeurbanne)
    for name, method in (("walkin_detail", "get"), ("walkin_attach", "post")):
        url = reverse(f"touchpoints:{name}", args=[theirs.pk])
        assert getattr(agent_client, method)(url, {"customer": helene.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.customer is None


def test_the_pages_do_not_grow_in_queries_with_the_rows(agent_client, walkin, helene):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = walkin(summary="Question n° 0 sur les horaires du tram T3")
    detail = reverse("touchpoints:walkin_detail", args=[first.pk])

    def count(url, **params):
        with CaptureQueriesContext(connection) as queries:
            assert agent_client.get(url, params).status_code == 200
        return len(queries)

    few = (count(LIST), count(detail, q="Dupont-Lefevre"))
    for index in range(1, 30):
        walkin(summary=f"Question n° {index} sur les horaires du tram T3")
    assert (count(LIST), count(detail, q="Dupont-Lefevre")) == few
    assert few[0] <= 12, few
