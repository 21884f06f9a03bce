"""The satisfaction dashboard (satisfaction:dashboard): snapshot rows only, a fixed number
of queries; agents see their agency, the network direction every agency."""

import datetime
import html

import pytest
from django.urls import reverse

from satisfaction.models import PulseResponse
from satisfaction.services import indicators_compute
from tests.support.time import paris

pytestmark = pytest.mark.django_db
URL = reverse("satisfaction:dashboard")
NOVEMBER = datetime.date(2025, 11, 1)


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def figures(bulk_answers, helene, make_customer, agent, agent_villeurbanne):
    """November 2025: 30 estimated answers in Lyon (gap +25), 12 in Villeurbanne."""
    at = paris(2025, 11, 12, 10, 0)
    bulk_answers(customer=helene, agent=agent, at=at, scores=[4] * 30, estimates=[5] * 30)
    jerome = make_customer("Jérôme", "Gaël-Noël", home_agency=agent_villeurbanne.agency)
    bulk_answers(
        customer=jerome, agent=agent_villeurbanne, at=at, scores=[2] * 12, estimates=[4] * 12
    )
    indicators_compute()


def month(**params):
    return {"periode": "month", "debut": "2025-11-01", **params}


def test_an_agent_sees_the_gap_of_their_agency(agent_client, figures):
    response = agent_client.get(URL, month())
    page = text(response)
    assert response.status_code == 200
    assert "Satisfaction et réciprocité · Lyon Part-Dieu · novembre 2025" in page
    assert "+25,0" in page and "Le personnel surestime la satisfaction des clients." in page
    assert "Villeurbanne Gratte-Ciel" not in page  # another agency's figures
    assert response.context["board"].summary.answers_n == 30


def test_below_the_minimum_sample_the_page_says_why(login, agent_villeurbanne, figures):
    page = text(login(agent_villeurbanne).get(URL, month()))
    assert "Écart non affiché : 12 réponse(s) avec une estimation du personnel" in page
    assert "il en faut au moins 30" in page


def test_an_agent_cannot_pick_another_agency(agent_client, figures, agency_villeurbanne):
    assert agent_client.get(URL, month(agence=agency_villeurbanne.pk)).status_code == 403


def test_another_agencys_manager_does_not_get_in(login, manager_villeurbanne, agency_lyon):
    response = login(manager_villeurbanne).get(URL, month(agence=agency_lyon.pk))
    assert response.status_code == 403
    response = login(manager_villeurbanne).get(
        reverse("satisfaction:export"), {"agence": agency_lyon.pk}
    )
    assert response.status_code == 403


def test_must_be_signed_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_the_network_direction_sees_agencies_side_by_side(login, director, figures):
    response = login(director).get(URL, month())
    page = text(response)
    board = response.context["board"]
    assert board.network_view
    assert [item.agency.name for item in board.agencies] == [
        "Lyon Part-Dieu",
        "Villeurbanne Gratte-Ciel",
    ]
    assert [item.agency.name for item in board.widest] == ["Lyon Part-Dieu"]
    assert "tout le réseau" in page and "Les agences côte à côte" in page
    # 42 answers network-wide: the network's gap is shown
    assert board.summary.answers_n == 42 and board.summary.gap is not None


def test_the_director_drills_down_to_an_agency(login, director, figures, agency_villeurbanne):
    response = login(director).get(URL, month(agence=agency_villeurbanne.pk))
    assert response.context["board"].summary.answers_n == 12
    assert not response.context["board"].agencies


def test_the_pulse_is_shown_from_five_respondents(agent_client, agency_lyon, figures):
    PulseResponse.objects.bulk_create(
        PulseResponse(agency=agency_lyon, period=NOVEMBER, engagement=4, workload=2, support=3)
        for _ in range(4)
    )
    indicators_compute()
    page = text(agent_client.get(URL, month()))
    assert "Résultats masqués : moins de 5 réponses" in page
    PulseResponse.objects.create(
        agency=agency_lyon, period=NOVEMBER, engagement=4, workload=2, support=3
    )
    indicators_compute()
    page = text(agent_client.get(URL, month()))
    assert "Moyennes sur 5 réponses anonymes" in page


def test_no_ranking_of_agents(login, director, figures, agent):
    page = text(login(director).get(URL, month()))
    assert agent.display_name not in page.split("<main", 1)[1].split("</main>")[0]


def test_nothing_computed_yet(agent_client):
    page = text(agent_client.get(URL))
    assert "Aucun indicateur n'est encore calculé" in page


@pytest.mark.parametrize("answers", [1, 40])
def test_queries_do_not_grow(
    login, director, bulk_answers, helene, agent, answers, django_assert_num_queries
):
    bulk_answers(
        customer=helene,
        agent=agent,
        at=paris(2025, 11, 12, 10, 0),
        scores=[4] * answers,
        estimates=[5] * answers,
    )
    indicators_compute()
    client = login(director)
    # session (the user, agent and permissions come from Redis); the periods, the last
    # run, the scope's rows, the trend, the team rows, the response rates, the agencies'
    # gap and team rows; the agencies of the filter; the alert count in the navigation
    with django_assert_num_queries(11):
        response = client.get(URL, month())
    assert response.context["board"].summary.answers_n == answers


def test_an_agents_page_queries(agent_client, figures, django_assert_num_queries):
    # session (the user, agent and permissions come from Redis); the periods, the last
    # run, the scope's rows, the trend, the team rows, the response rates; the alert count
    with django_assert_num_queries(8):
        response = agent_client.get(URL, month())
    assert response.context["board"].summary.gap is not None


def test_the_trend_chart_tells_few_answers_and_no_data_apart(
    agent_client, bulk_answers, helene, agent
):
    """September: one answer (not on the line, marked apart); October: nothing (a hole,
    not 0); November: 30 answers all at the bottom of the scale (a real 0), estimated."""
    bulk_answers(customer=helene, agent=agent, at=paris(2025, 9, 10, 10, 0), scores=[5])
    bulk_answers(
        customer=helene,
        agent=agent,
        at=paris(2025, 11, 12, 10, 0),
        scores=[1] * 30,
        estimates=[2] * 30,
    )
    indicators_compute()
    trend = agent_client.get(URL, month()).context["charts"]["trend"]
    assert trend["labels"] == ["septembre 2025", "octobre 2025", "novembre 2025"]
    assert trend["answers"] == [1, None, 30]
    assert trend["real"] == [None, None, 0.0]  # 0 is a figure; None is no figure
    assert trend["real_few"] == [100.0, None, None]
    assert trend["estimate"] == [None, None, 25.0]
    assert trend["gap"] == [None, None, 25.0]
    assert trend["min_sample"] == 30
    assert trend["series"] == ["real", "real_few", "estimate", "gap"]


def test_the_trend_chart_leaves_out_empty_series(agent_client, bulk_answers, helene, agent):
    bulk_answers(customer=helene, agent=agent, at=paris(2025, 11, 12, 10, 0), scores=[4] * 30)
    indicators_compute()
    trend = agent_client.get(URL, month()).context["charts"]["trend"]
    assert trend["series"] == ["real"]  # no estimate: no "estimation" nor "écart" legend
    assert trend["real"] == [75.0]
