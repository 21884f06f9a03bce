"""The incivility pages: reports about an agent are seen by that agent and their
managers, not by other agents nor another agency's manager."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from satisfaction.models import IncivilityReport
from satisfaction.services import incivility_report

pytestmark = pytest.mark.django_db
LIST = reverse("satisfaction:incivility_list")
CREATE = reverse("satisfaction:incivility_create")


@pytest.fixture
def report(agent):
    return incivility_report(
        reported_by=agent,
        direction="against_staff",
        kind="insult",
        severity=2,
        place="counter",
        description="Insultes répétées au guichet de Part-Dieu.",
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
    )


def detail(report):
    return reverse("satisfaction:incivility_detail", args=[report.pk])


def action(report, name):
    return reverse("satisfaction:incivility_action", args=[report.pk, name])


def test_filing_a_report(agent_client, agent):
    response = agent_client.post(
        CREATE,
        {
            "direction": "against_staff",
            "agent": agent.pk,
            "kind": "threat",
            "severity": "3",
            "occurred_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "place": "on_board",
            "line_or_station": "Ligne C3",
            "witnesses": "",
            "description": "Menaces à bord du C3 après un contrôle.",
        },
    )
    report = IncivilityReport.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(report)
    assert (report.agent, report.reported_by, report.line_or_station) == (agent, agent, "Ligne C3")


def test_the_form_refuses_bad_input(agent_client):
    response = agent_client.post(CREATE, {"direction": "against_staff"})
    assert response.status_code == 400
    assert not IncivilityReport.objects.exists()


def test_the_agent_concerned_sees_it(agent_client, report):
    assert agent_client.get(detail(report)).status_code == 200
    assert "Insultes répétées" in agent_client.get(LIST).content.decode()


def test_another_agent_of_the_agency_does_not_get_in(login, colleague_lyon, report):
    client = login(colleague_lyon)
    assert client.get(detail(report)).status_code == 404
    assert "Insultes répétées" not in client.get(LIST).content.decode()


def test_another_agencys_manager_does_not_get_in(login, manager_villeurbanne, report):
    client = login(manager_villeurbanne)
    assert client.get(detail(report)).status_code == 404
    assert client.post(action(report, "prise-en-compte")).status_code == 404
    report.refresh_from_db()
    assert report.status == "reported"


def test_the_agencys_manager_follows_it_up(login, manager_lyon, report):
    client = login(manager_lyon)
    page = client.get(detail(report)).content.decode()
    assert "Prendre en compte" in page
    assert client.post(action(report, "prise-en-compte")).status_code == 302
    client.post(action(report, "soutien"), {"note": "Entretien et accompagnement proposés."})
    client.post(action(report, "cloture"), {"note": ""})
    report.refresh_from_db()
    assert (report.status, report.support_note) == (
        "closed",
        "Entretien et accompagnement proposés.",
    )


def test_the_agent_concerned_cannot_follow_it_up(agent_client, report):
    assert agent_client.post(action(report, "prise-en-compte")).status_code == 403
    assert "Prendre en compte" not in agent_client.get(detail(report)).content.decode()


def test_the_network_direction_sees_every_agency(login, director, report):
    assert login(director).get(detail(report)).status_code == 200


def test_an_unknown_action(login, manager_lyon, report):
    assert login(manager_lyon).post(action(report, "supprimer")).status_code == 404


def test_list_queries(agent_client, agent, django_assert_num_queries):
    for index in range(3):
        incivility_report(
            reported_by=agent,
            direction="against_staff",
            kind="insult",
            severity=1,
            place="phone",
            description=f"Appel agressif n° {index}",
            occurred_at=timezone.now(),
        )
    # session (user, agent, permissions: Redis), count, page of reports,
    # the alert count in the navigation bar
    with django_assert_num_queries(4):
        response = agent_client.get(LIST)
    assert len(response.context["page"].object_list) == 3
