"""The contact form's « Ligne concernée »: a select of the network's lines; the line chosen
becomes a line the customer rides (source mentioned) once the sender is identified, and
a complaint sent while it is disrupted is linked to the disruption."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from relation_client.messaging.models import InboundMessage
from relation_client.network.models import CustomerLine, DisruptionComplaint, RiderSource
from relation_client.network.services import disruption_create

pytestmark = pytest.mark.django_db

URL = "/contact/"


@pytest.fixture(autouse=True)
def empty_cache():
    # the form's brake counts in Redis: each test starts with none
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def c3_now(network, supervisor_lyon):
    return disruption_create(
        by=supervisor_lyon,
        lines=[network["C3"]],
        stops=[],
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=None,
        cause="accident",
        effect="detour",
        header="C3 déviée entre Gare Saint-Paul et Hôtel de Ville",
    )


def _form(reasons, **values) -> dict:
    data = {
        "name": "Bruno Lefèvre",
        "email": "",
        "phone": "",
        "reason": reasons["complaint"].pk,
        "line": "",
        "stop": "Hôtel de Ville",
        "body": "Le C3 n'est pas passé à l'arrêt ce matin, j'ai attendu quarante minutes.",
        "website": "",
    }
    return {**data, **values}


def test_the_form_offers_the_networks_lines(client, network, reasons):
    page = client.get(URL).content.decode()

    assert '<label for="id_line" class="form-label">Ligne concernée</label>' in page
    assert '<select name="line"' in page
    assert f'<option value="{network["C3"].pk}">C3' in page
    assert "— aucune —" in page


def test_a_known_customer_naming_a_line_rides_it_and_the_complaint_is_linked(
    client, network, reasons, riders, c3_now
):
    bruno = riders["bruno"]  # rides the T1 only

    answer = client.post(
        URL, _form(reasons, email="bruno.lefevre@exemple.fr", line=network["C3"].pk)
    )

    assert answer.status_code == 302
    message = InboundMessage.objects.get()
    assert message.customer == bruno and message.network_line == network["C3"]
    assert message.line == "C3"
    link = CustomerLine.objects.get(customer=bruno, line=network["C3"])
    assert link.source == RiderSource.MENTIONED and link.strength == "occasional"
    complaint = DisruptionComplaint.objects.get()
    assert complaint.disruption == c3_now and complaint.request == message.request


def test_an_unknown_visitor_naming_the_line_records_no_rider_but_links_the_complaint(
    client, network, reasons, c3_now
):
    client.post(
        URL,
        _form(
            reasons,
            name="Aurélie Fontaine-Brûlé",
            email="aurelie@exemple.fr",
            line=network["C3"].pk,
        ),
    )

    message = InboundMessage.objects.get()
    assert message.customer is None and message.network_line == network["C3"]
    assert not CustomerLine.objects.filter(source=RiderSource.MENTIONED).exists()
    assert DisruptionComplaint.objects.get().request == message.request


def test_a_line_not_in_the_list_is_refused_in_french(client, network, reasons):
    answer = client.post(URL, _form(reasons, email="bruno.lefevre@exemple.fr", line="C3"))

    assert answer.status_code == 400
    assert "Choisissez la ligne dans la liste." in answer.content.decode()
    assert not InboundMessage.objects.exists()
