"""The disruption pages: agents see the list and a disruption; supervisors and managers
enter one (French form, refused input explained); the list's queries are bounded."""

import datetime

import pytest
from django.urls import reverse

from relation_client.network.models import Disruption, DisruptionSource
from relation_client.network.services import disruption_create

pytestmark = pytest.mark.django_db

MORNING = datetime.datetime(2026, 3, 10, 6, 0, tzinfo=datetime.UTC)  # 7:00 in Paris


def _entry(network, **changes) -> dict:
    data = {
        "lines": [network["C3"].pk, network["C13"].pk],
        "starts_at": "2026-03-10T07:00",
        "ends_at": "2026-03-10T09:00",
        "cause": "technical_problem",
        "effect": "significant_delays",
        "header": "Ligne C3 : retards importants, panne d'aiguillage à Part-Dieu",
        "description": "Un bus sur deux, cadence réduite.",
        "alternative_route": "Prenez le T1 jusqu'à Part-Dieu Villette, puis le C13.",
    }
    return {**data, **changes}


def test_a_supervisor_enters_a_disruption(login, supervisor_lyon, network):
    client = login(supervisor_lyon)
    page = client.get(reverse("network:disruption_new"))
    assert "Lignes touchées" in page.content.decode()

    answer = client.post(reverse("network:disruption_new"), _entry(network))

    disruption = Disruption.objects.get()
    assert answer.status_code == 302 and answer["Location"] == disruption.get_absolute_url()
    assert disruption.source == DisruptionSource.STAFF
    assert disruption.created_by == supervisor_lyon
    # typed in Paris time: 7:00 is 6:00 UTC in March
    assert (disruption.starts_at, disruption.ends_at) == (
        MORNING,
        MORNING + datetime.timedelta(hours=2),
    )
    assert {line.short_name for line in disruption.lines.all()} == {"C3", "C13"}
    detail = client.get(answer["Location"]).content.decode()
    assert "Prenez le T1 jusqu&#x27;à Part-Dieu Villette" in detail


def test_refused_input_is_explained_in_french(login, manager_lyon, network):
    answer = login(manager_lyon).post(
        reverse("network:disruption_new"),
        _entry(network, lines=[], ends_at="2026-03-10T06:00"),
    )
    assert answer.status_code == 422
    text = answer.content.decode()
    assert "Cochez au moins une ligne touchée." in text
    assert "La fin doit venir après le début." in text
    assert not Disruption.objects.exists()


def test_an_agent_sees_disruptions_but_may_not_enter_one(login, agent, supervisor_lyon, network):
    disruption_create(
        by=supervisor_lyon,
        lines=[network["T1"]],
        stops=[],
        starts_at=MORNING,
        ends_at=None,
        cause="strike",
        effect="reduced_service",
        header="Tramway T1 : service réduit (mouvement social)",
    )
    client = login(agent)

    listed = client.get(reverse("network:disruptions")).content.decode()
    assert "Tramway T1 : service réduit (mouvement social)" in listed
    assert "Saisir une perturbation" not in listed
    assert client.get(reverse("network:disruption_new")).status_code == 403
    assert client.post(reverse("network:disruption_new"), _entry(network)).status_code == 403


def test_the_list_takes_the_same_queries_for_thirty_disruptions(
    login, agent, supervisor_lyon, network, django_assert_max_num_queries
):
    for number in range(30):
        disruption_create(
            by=supervisor_lyon,
            lines=[network["C3"], network["12"]],
            stops=[],
            starts_at=MORNING - datetime.timedelta(days=number),
            ends_at=None,
            cause="weather",
            effect="significant_delays",
            header=f"Verglas n° {number} : lignes C3 et 12 ralenties",
        )
    client = login(agent)
    # session and user, the agent, the page's count and rows, their lines, the bar's counts
    with django_assert_max_num_queries(9):
        page = client.get(reverse("network:disruptions"))
    assert page.content.decode().count("ralenties") == 25
