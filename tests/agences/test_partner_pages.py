"""Partner pages: the list for a month and the page per partner and month, both read
from the compliance snapshots; managers recompute a month."""

import datetime

import pytest
from django.urls import reverse

from agences.models import PartnerComplianceMonth
from relation_client.partners.services import partner_compliance_compute
from tests.factories import PartnerCommitmentFactory
from tests.support.time import paris

pytestmark = pytest.mark.django_db

LIST = reverse("agences:partner_list")


@pytest.fixture
def march(objets_trouves, escalate):
    commitment = PartnerCommitmentFactory(partner=objets_trouves)
    escalate(objets_trouves, paris(2026, 3, 2, 10), answered=paris(2026, 3, 2, 20))
    escalate(objets_trouves, paris(2026, 3, 10, 9), answered=paris(2026, 3, 12, 11))
    partner_compliance_compute(month=datetime.date(2026, 3, 1), now=paris(2026, 4, 2))
    return commitment


def _page(partner, year=2026, month=3):
    return reverse("agences:partner_compliance", args=[partner.pk, year, month])


def test_the_partner_month_page(
    client, supervisor_lyon, march, objets_trouves, django_assert_num_queries
):
    client.force_login(supervisor_lyon.user)
    # session (user, agent, permissions: Redis), partner; commitments, snapshots,
    # requests of the month; the navigation bar's alert count
    with django_assert_num_queries(6):
        response = client.get(_page(objets_trouves))
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    assert "Objets Trouvés Métropole · mars 2026" in html
    assert "80 % sous 48 h" in html
    assert "✗ Non tenu (objectif 80 %)" in html  # 1 of 2 in time
    assert "10 h" in html and "50 h" in html  # each request's delay
    assert "Recalculer" not in html  # supervisors read, managers recompute


def test_the_list_for_a_month(client, supervisor_lyon, march, taxis_pmr):
    client.force_login(supervisor_lyon.user)
    response = client.get(LIST, {"mois": "2026-03"})
    html = " ".join(response.content.decode().split())
    assert "Répondre sous 48 h" in html and "50 %" in html
    assert "Pas d'engagement mesuré calculé pour ce mois." in html  # the taxis


def test_a_manager_recomputes_a_month(client, manager_lyon, march, objets_trouves, escalate):
    escalate(objets_trouves, paris(2026, 3, 20, 9), answered=paris(2026, 3, 20, 10))
    client.force_login(manager_lyon.user)
    response = client.post(
        reverse("agences:compliance_recompute"),
        {"mois": "2026-03", "partenaire": objets_trouves.pk},
    )
    assert response.status_code == 302 and response.url == _page(objets_trouves)
    assert PartnerComplianceMonth.objects.get(commitment=march).escalated == 3


def test_must_not_get_in(client, agent, supervisor_lyon, objets_trouves, gerard):
    assert client.get(LIST).status_code == 302
    client.force_login(agent.user)  # a counter agent: no figures
    assert client.get(LIST).status_code == 403
    assert client.get(_page(objets_trouves)).status_code == 403
    client.force_login(supervisor_lyon.user)  # reads, does not recompute
    response = client.post(reverse("agences:compliance_recompute"), {"mois": "2026-03"})
    assert response.status_code == 403
    client.force_login(gerard)  # partner staff
    assert client.get(_page(objets_trouves)).status_code == 403


def test_an_impossible_month_is_a_404(client, supervisor_lyon, objets_trouves):
    client.force_login(supervisor_lyon.user)
    assert client.get(_page(objets_trouves, 2026, 13)).status_code == 404
