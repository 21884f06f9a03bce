"""The satisfaction dashboard is rendered once per recompute (a fragment cached in Redis
under the snapshots' token): a second view reads only the periods, a recompute shows
anew."""

import pytest

from satisfaction.models import GapSnapshot
from satisfaction.services import indicators_compute
from tests.satisfaction.test_dashboard import URL, figures, month, text  # noqa: F401
from tests.support.time import paris

pytestmark = pytest.mark.django_db


def test_a_second_view_reads_only_the_periods(login, director, figures, django_assert_num_queries):  # noqa: F811
    client = login(director)
    first = text(client.get(URL, month()))
    # session, the periods, the last run, the agencies of the filter, the alert count: the
    # scope's rows, the trend, the team rows, the response rates and the agencies' rows
    # are not read again
    with django_assert_num_queries(5) as captured:
        second = text(client.get(URL, month()))
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    assert "satisfaction_teamsnapshot" not in tables
    assert "satisfaction_responsesnapshot" not in tables

    def board(page: str) -> str:
        return page[page.index('id="titre-synthese"') : page.index('id="donnees-graphiques"')]

    assert board(second) == board(first) and "+25,0" in second


def test_rows_changed_behind_the_recompute_are_not_seen_a_recompute_is(
    agent_client,
    figures,  # noqa: F811
    bulk_answers,
    helene,
    agent,
):
    assert "+25,0" in text(agent_client.get(URL, month()))
    GapSnapshot.objects.filter(gap__isnull=False).update(gap=-3)
    page = text(agent_client.get(URL, month()))
    # rendered once, until a recompute (the sign is a true minus)
    assert "+25,0" in page and "\u22123,0" not in page
    # 30 more answers, as satisfied as the staff thought: the gap halves
    at = paris(2025, 11, 20, 15, 0)
    bulk_answers(customer=helene, agent=agent, at=at, scores=[5] * 30, estimates=[5] * 30)
    indicators_compute()
    page = text(agent_client.get(URL, month()))
    assert "+12,5" in page and "+25,0" not in page


def test_each_viewer_sees_their_own_scope(login, agent, agent_villeurbanne, figures):  # noqa: F811
    assert "+25,0" in text(login(agent).get(URL, month()))
    page = text(login(agent_villeurbanne).get(URL, month()))
    assert "Villeurbanne Gratte-Ciel" in page and "+25,0" not in page
