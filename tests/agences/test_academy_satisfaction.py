"""The academy page: each agency's customer satisfaction next to its training figures,
read from the satisfaction snapshots in one query."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from agences import roles
from agences.models import Agency
from satisfaction.models import GapSnapshot
from satisfaction.selectors.teams import agency_satisfaction_figures

pytestmark = pytest.mark.django_db

PINNED = 13  # the academy page for the network direction, whatever the number of agencies

NOW = timezone.now()
THIS_MONTH = timezone.localdate(NOW).replace(day=1)
LAST_MONTH = (THIS_MONTH - datetime.timedelta(days=1)).replace(day=1)


def _gap(period, agency=None, **figures) -> GapSnapshot:
    return GapSnapshot.objects.create(
        period_kind="month", period=period, agency=agency, channel="", computed_at=NOW, **figures
    )


@pytest.fixture
def snapshots(agency_lyon, agency_villeurbanne):
    _gap(LAST_MONTH, answers_n=200, real_score=Decimal("71.00"), paired_n=80, gap=Decimal("5"))
    # Lyon: enough answers with an estimate for a gap
    _gap(
        LAST_MONTH,
        agency_lyon,
        answers_n=64,
        real_score=Decimal("78.40"),
        paired_n=35,
        gap=Decimal("6.20"),
    )
    # Villeurbanne: 12 answers with an estimate, too few for a gap
    _gap(LAST_MONTH, agency_villeurbanne, answers_n=20, real_score=Decimal("55.00"), paired_n=12)
    # the current month is not complete: not shown
    _gap(THIS_MONTH, answers_n=3, real_score=Decimal("10.00"))
    _gap(THIS_MONTH, agency_lyon, answers_n=3, real_score=Decimal("10.00"))


def _page(client, agent) -> str:
    client.force_login(agent.user)
    return " ".join(client.get(reverse("agences:academy")).content.decode().split())


def test_the_figure_shows_next_to_the_training_figures(client, make_staff, agency_lyon, snapshots):
    html = _page(client, make_staff("camille", "Camille Rousseau", roles.AGENT, agency_lyon))
    assert "78,4/100 (64 réponses)" in html
    assert "+6,2 points" in html
    assert "10,0/100" not in html  # the current month's row
    assert "55,0/100" not in html  # Villeurbanne: an agent sees their own team only


def test_below_the_minimum_sample_the_gap_is_a_dash_with_the_reason(
    client, make_staff, agency_lyon, agency_villeurbanne, snapshots
):
    html = _page(
        client, make_staff("isabelle", "Isabelle Morel", roles.NETWORK_DIRECTOR, agency_lyon)
    )
    assert "78,4/100 (64 réponses)" in html and "55,0/100 (20 réponses)" in html
    assert "écart estimation − réel —<span" in html
    assert "(Écart non affiché : 12 réponse(s) avec une estimation du personnel" in html


def test_an_agency_without_answers_says_so(client, make_staff, agency_villeurbanne):
    _gap(LAST_MONTH, answers_n=200, real_score=Decimal("71.00"))
    html = _page(client, make_staff("theo", "Théo Marchand", roles.AGENT, agency_villeurbanne))
    assert "(Aucune réponse de client sur cette période.)" in html


def test_no_snapshot_at_all(client, make_staff, agency_lyon):
    html = _page(client, make_staff("camille", "Camille Rousseau", roles.AGENT, agency_lyon))
    assert "Pas encore d'indicateurs de satisfaction calculés." in html


def test_one_query_whatever_the_number_of_agencies(
    agency_lyon, agency_villeurbanne, snapshots, django_assert_num_queries
):
    agencies = [agency_lyon, agency_villeurbanne, Agency.objects.create(name="Vénissieux")]
    with django_assert_num_queries(1):  # the latest month is a subquery
        figures = agency_satisfaction_figures(agencies=agencies, now=NOW)
    assert figures.period == LAST_MONTH
    assert figures.network.real_score == Decimal("71.00")
    assert {pk: row.real_score for pk, row in figures.by_agency.items()} == {
        agency_lyon.pk: Decimal("78.40"),
        agency_villeurbanne.pk: Decimal("55.00"),
    }


def test_the_page_query_count_does_not_grow_with_agencies(
    client, make_staff, agency_lyon, agency_villeurbanne, snapshots, django_assert_num_queries
):
    director = make_staff("isabelle", "Isabelle Morel", roles.NETWORK_DIRECTOR, agency_lyon)
    client.force_login(director.user)
    Agency.objects.create(name="Vénissieux")
    # session (user, agent, permissions: Redis); the two session lists; the agencies; the four
    # team-figure queries; the satisfaction rows (+1: 15 before the satisfaction figures);
    # the compliments and incivilities per month (+1, one UNION query); the alert badge;
    # the skill finder's choices (2)
    with django_assert_num_queries(PINNED):
        client.get(reverse("agences:academy"))
    Agency.objects.create(name="Bron")
    with django_assert_num_queries(PINNED):
        client.get(reverse("agences:academy"))
