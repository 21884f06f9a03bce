"""The reconquest dashboard (reconquete:dashboard): snapshot rows only, scoped by role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reconquete.models import ReconquestSnapshot

pytestmark = pytest.mark.django_db

URL = reverse("reconquete:dashboard")
OCTOBER, SEPTEMBER = datetime.date(2026, 10, 1), datetime.date(2026, 9, 1)


def snap(period, agency=None, dimension="total", key="", **metrics):
    return ReconquestSnapshot.objects.create(
        period=period,
        agency=agency,
        dimension=dimension,
        key=str(key),
        label=metrics.pop("label", agency.name if agency and dimension == "total" else ""),
        computed_at=timezone.now(),
        **metrics,
    )


@pytest.fixture
def snapshots(agency_lyon, agency_villeurbanne, scolaires):
    figures = {
        "lost": 12,
        "contacted": 8,
        "reached": 5,
        "accepted": 2,
        "won_back": 4,
        "cohort": 12,
        "won_back_30": 3,
        "won_back_90": 6,
        "median_days": 21.5,
        "trips": 6200,
        "baseline_trips": 10000,
        "new_customers": 7,
    }
    snap(OCTOBER, **figures)
    snap(SEPTEMBER, lost=10, won_back=1, cohort=10, won_back_30=2, trips=6000, baseline_trips=10000)
    snap(OCTOBER, agency_lyon, lost=7, won_back=3, cohort=7, won_back_30=2)
    snap(SEPTEMBER, agency_lyon, lost=9, won_back=1)
    snap(OCTOBER, agency_villeurbanne, lost=5, won_back=1, cohort=5)
    snap(
        OCTOBER,
        dimension="segment",
        key=scolaires.pk,
        label="Scolaires",
        lost=6,
        trips=1500,
        baseline_trips=3000,
    )
    snap(OCTOBER, agency_lyon, dimension="segment", key=scolaires.pk, label="Scolaires", lost=4)
    snap(OCTOBER, dimension="channel", key="phone", contacted=7, reached=4)
    snap(
        SEPTEMBER,
        dimension="campaign",
        key=1,
        label="Rentrée",
        targeted=30,
        contacted=10,
        cohort=30,
        won_back_30=3,
        won_back_90=6,
    )
    snap(OCTOBER, dimension="campaign", key=1, label="Rentrée", contacted=5, won_back=4)


def figures(response) -> dict:
    return {f.code: (f.value, f.change) for f in response.context["board"].figures}


def test_the_network_director_sees_the_network_and_the_agencies_side_by_side(
    client, director, snapshots, django_assert_num_queries
):
    client.force_login(director.user)
    # session (the user, agent and permissions come from Redis), snapshot rows,
    # campaign totals, latest recompute run, alert count (navigation), agencies, segments
    # and campaigns for the filters: 12, however many months, agencies or campaigns
    with django_assert_num_queries(8):
        response = client.get(URL, {"mois": "2026-10"})
    assert response.status_code == 200
    found = figures(response)
    assert found["lost"] == (12, 2)
    assert found["won_back"] == (4, 3)
    assert found["rate_30"][0] == 25 and str(found["rate_30"][1]) == "5.0"  # 25 % vs 20 %
    assert str(found["recovery"][0]) == "62.0" and str(found["recovery"][1]) == "2.0"
    assert found["median_days"] == (21.5, None)
    board = response.context["board"]
    assert [row.label for row in board.agencies] == ["Lyon Part-Dieu", "Villeurbanne Gratte-Ciel"]
    assert [row.label for row in board.segments] == ["Scolaires"]
    assert [row.label for row in board.channels] == ["Téléphone"]
    result = board.campaigns[0]
    assert (result.label, result.targeted, result.contacted, result.won_back) == (
        "Rentrée",
        30,
        15,
        4,
    )
    assert str(result.rate_90) == "20.0"
    assert len(board.trend) == 12 and board.trend[-1].lost == 12 and board.trend[-2].lost == 10
    content = response.content.decode()
    assert "Les agences côte à côte" in content and "graphique-tendance" in content
    assert "chart.umd.min.js" in content


def test_the_dashboard_reads_only_snapshots(client, director, snapshots, django_assert_num_queries):
    client.force_login(director.user)
    with django_assert_num_queries(8) as captured:
        client.get(URL, {"mois": "2026-10"})
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    for live in (
        "reconquete_reconquestcase",
        "reconquete_ridershipmonth",
        "touchpoints_touchpoint",
    ):
        assert live not in tables


def test_an_agent_sees_their_own_agency(
    agent_client, snapshots, agency_lyon, django_assert_num_queries
):
    # session (user, agent, permissions: Redis), snapshot rows, campaign totals,
    # alert count, segments and campaigns for the filters (no agency list, no run)
    with django_assert_num_queries(6):
        response = agent_client.get(URL, {"mois": "2026-10"})
    assert response.context["scope"].agency == agency_lyon
    assert figures(response)["lost"] == (7, -2)
    assert response.context["board"].agencies == []  # no side-by-side for one agency
    assert "Détecter maintenant" not in response.content.decode()


def test_a_segment_narrows_the_figures(agent_client, snapshots, scolaires):
    response = agent_client.get(URL, {"mois": "2026-10", "segment": scolaires.pk})
    assert figures(response)["lost"] == (4, None)


def test_a_manager_of_another_agency_must_not_get_in(
    client, manager_villeurbanne, snapshots, agency_lyon
):
    client.force_login(manager_villeurbanne.user)
    assert client.get(URL, {"agence": agency_lyon.pk}).status_code == 403
    own = client.get(URL, {"mois": "2026-10"})
    assert own.status_code == 200 and figures(own)["lost"] == (5, None)


def test_the_director_chooses_an_agency(client, director, snapshots, agency_lyon):
    client.force_login(director.user)
    response = client.get(URL, {"mois": "2026-10", "agence": agency_lyon.pk})
    assert figures(response)["lost"] == (7, -2)


def test_segment_and_campaign_together_are_refused_politely(agent_client, snapshots, scolaires):
    response = agent_client.get(URL, {"segment": scolaires.pk, "campagne": 999})
    assert response.status_code == 200
    assert not response.context["form"].is_valid()


def test_without_figures_the_page_says_so(agent_client):
    response = agent_client.get(URL)
    assert response.status_code == 200
    assert "Aucun indicateur pour ce mois" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]
