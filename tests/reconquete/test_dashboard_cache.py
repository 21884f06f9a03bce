"""The reconquest dashboard is rendered once per recompute (a fragment cached in Redis
under the snapshots' token): a second view reads no snapshot, a recompute shows anew."""

import pytest
from django.urls import reverse

from reconquete.models import ReconquestSnapshot
from reconquete.services.indicators import snapshot_compute
from tests.reconquete.test_dashboard import OCTOBER, snapshots  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

URL = reverse("reconquete:dashboard")
OCTOBER_PARAMS = {"mois": "2026-10"}


def board(page: str) -> str:
    """The figures and tables, from their heading to the chart's data."""
    return page[page.index('id="titre-chiffres"') : page.index('id="donnees-tendance"')]


def test_a_second_view_reads_no_snapshot(client, director, snapshots, django_assert_num_queries):  # noqa: F811
    client.force_login(director.user)
    first = client.get(URL, OCTOBER_PARAMS).content.decode()
    # session, the latest snapshot month (the default period), the latest recompute run,
    # the alert count (navigation), agencies, segments and campaigns for the filters: the
    # snapshot rows and the campaign totals are not read again
    with django_assert_num_queries(6) as captured:
        second = client.get(URL, OCTOBER_PARAMS).content.decode()
    assert "reconquete_reconquestsnapshot" not in " ".join(
        q["sql"] for q in captured.captured_queries if "MAX" not in q["sql"]
    )
    assert board(second) == board(first) and "Les agences côte à côte" in second


def test_rows_changed_behind_the_recompute_are_not_seen_a_recompute_is(
    client,
    director,
    snapshots,  # noqa: F811
):
    client.force_login(director.user)
    assert "Rentrée" in client.get(URL, OCTOBER_PARAMS).content.decode()
    ReconquestSnapshot.objects.filter(dimension="campaign").update(label="Toussaint")
    page = client.get(URL, OCTOBER_PARAMS).content.decode()
    assert "Rentrée" in page and "Toussaint" not in page  # rendered once, until a recompute
    # the recompute of October finds no live data: the month is empty, and the page says so
    snapshot_compute(period_from=OCTOBER, period_to=OCTOBER)
    page = client.get(URL, OCTOBER_PARAMS).content.decode()
    assert "Aucun indicateur pour ce mois et ce périmètre" in page
    assert "Les agences côte à côte" not in page


def test_each_viewer_sees_their_own_scope(
    client,
    agent,
    agent_villeurbanne,
    director,
    snapshots,  # noqa: F811
):
    client.force_login(director.user)
    assert "Les agences côte à côte" in client.get(URL, OCTOBER_PARAMS).content.decode()
    client.force_login(agent.user)
    response = client.get(URL, OCTOBER_PARAMS)
    page = response.content.decode()
    assert "Les agences côte à côte" not in page and "Reconquête · Lyon Part-Dieu" in page
    client.force_login(agent_villeurbanne.user)
    page = client.get(URL, OCTOBER_PARAMS).content.decode()
    assert "Reconquête · Villeurbanne Gratte-Ciel" in page
    assert page.count(">5</a>") >= 1 and ">7</a>" not in page  # Villeurbanne's 5 lost, not Lyon's 7


def test_each_language_is_rendered_apart(client, director, snapshots):  # noqa: F811
    client.force_login(director.user)
    assert "Chiffres clés" in client.get(URL, OCTOBER_PARAMS).content.decode()
    english = client.get(URL, OCTOBER_PARAMS, headers={"Accept-Language": "en"})
    assert "Chiffres clés" not in english.content.decode()


def test_figures_without_customers_get_no_link(client, director, snapshots):  # noqa: F811
    client.force_login(director.user)
    response = client.get(URL, OCTOBER_PARAMS)
    # the telephone row: 7 contacted, 4 reached, nobody lost or won back
    assert set(response.context["board"].channels[0].urls) == {"contacted", "reached"}
    assert "axe=channel&amp;cle=phone" in response.content.decode()
