"""The CSV export (satisfaction:export): the dashboard's snapshot rows, French style."""

import csv
import io

import pytest
from django.urls import reverse

from satisfaction.services import indicators_compute
from tests.support.time import paris

pytestmark = pytest.mark.django_db
URL = reverse("satisfaction:export")


@pytest.fixture
def figures(bulk_answers, helene, agent):
    bulk_answers(
        customer=helene,
        agent=agent,
        at=paris(2025, 11, 12, 10, 0),
        scores=[5, 4, 2],
        estimates=[5, 5, 5],
    )
    indicators_compute(min_sample=3)


def rows(response) -> list[list[str]]:
    content = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content), delimiter=";"))


def test_the_agents_agency_rows(agent_client, figures):
    response = agent_client.get(URL, {"periode": "month"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "ecart-satisfaction.csv" in response["Content-Disposition"]
    header, *lines = rows(response)
    assert header[:5] == ["période", "début", "agence", "canal", "réponses"]
    assert {line[2] for line in lines} == {"Lyon Part-Dieu"}  # no network, no other agency
    everything = next(line for line in lines if line[3] == "Tous les canaux")
    by_name = dict(zip(header, everything, strict=True))
    # (100 + 75 + 25) / 3 = 66,67; estimates all 100: gap 33,33
    assert by_name["satisfaction (0-100)"] == "66,67"
    assert by_name["écart (points)"] == "33,33"
    assert by_name["période"] == "Mois"


def test_the_director_exports_the_network(login, director, figures):
    _header, *lines = rows(login(director).get(URL, {"periode": "year"}))
    assert {line[2] for line in lines} == {"Lyon Part-Dieu", "Tout le réseau"}


def test_an_agent_cannot_export_another_agency(agent_client, agency_villeurbanne):
    assert agent_client.get(URL, {"agence": agency_villeurbanne.pk}).status_code == 403
