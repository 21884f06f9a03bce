"""The identification rate (touchpoints:identification): named ÷ all, per Paris month
and channel."""

from decimal import Decimal

import pytest
from django.urls import reverse

from relation_client.touchpoints.models import GestureKind
from relation_client.touchpoints.selectors import identification_rate
from relation_client.touchpoints.services import gesture_grant
from tests.support.time import paris

pytestmark = pytest.mark.django_db

URL = reverse("touchpoints:identification")
DECEMBER_2025 = paris(2025, 12, 15, 12, 0)


def cell(table, year, month, channel):
    row = next(r for r in table.rows if (r.month.year, r.month.month) == (year, month))
    index = [code for code, _label in table.channels].index(channel)
    return row.cells[index], row


@pytest.fixture
def november(log, helene, make_customer):
    """November 2025 on the phone in Lyon: 3 named callers, 1 who gave no name."""
    jerome = make_customer("Jérôme", "Gaël-Noël", civility="m")
    for customer, day in ((helene, 3), (jerome, 12), (helene, 20), (None, 21)):
        log(customer, summary="Horaires de la ligne C3", occurred_at=paris(2025, 11, day, 10, 0))


def test_three_named_one_anonymous_is_75_percent(november, agency_lyon, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        table = identification_rate(agency_id=agency_lyon.pk, now=DECEMBER_2025)
    sql = captured.captured_queries[0]["sql"]
    assert "DATE_TRUNC('month'" in sql and "AT TIME ZONE 'Europe/Paris'" in sql
    assert "GROUP BY" in sql
    phone, row = cell(table, 2025, 11, "phone")
    assert (phone.named, phone.total, phone.percent) == (3, 4, 75)
    assert (row.overall.named, row.overall.total) == (3, 4)
    counter, _row = cell(table, 2025, 11, "counter")
    assert counter.total == 0 and counter.percent is None


def test_twelve_months_newest_first(agency_lyon):
    table = identification_rate(agency_id=agency_lyon.pk, now=DECEMBER_2025)
    months = [(r.month.year, r.month.month) for r in table.rows]
    assert months[0] == (2025, 12) and months[-1] == (2025, 1) and len(months) == 12


def test_months_are_paris_calendar_months(log, helene, agency_lyon):
    # 30 November 23:30 UTC is already 1 December in Paris
    log(helene, summary="Appel de minuit", occurred_at=paris(2025, 12, 1, 0, 30))
    table = identification_rate(agency_id=agency_lyon.pk, now=DECEMBER_2025)
    assert cell(table, 2025, 12, "phone")[0].total == 1
    assert cell(table, 2025, 11, "phone")[0].total == 0


def test_only_interactions_of_the_agency_count(
    november, helene, agent, agent_villeurbanne, log, agency_lyon
):
    gesture = gesture_grant(
        customer=helene,
        agent=agent,
        kind=GestureKind.GIFT,
        value=Decimal("5"),
        reason="Plan de poche offert",
        channel="phone",
    )
    assert gesture.touchpoint.kind == "gesture"
    log(None, by=agent_villeurbanne, summary="Question anonyme", occurred_at=paris(2025, 11, 5, 9))
    table = identification_rate(agency_id=agency_lyon.pk, now=DECEMBER_2025)
    assert cell(table, 2025, 11, "phone")[0].total == 4


def test_agents_see_their_agencys_figure(agent_client, november):
    response = agent_client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Taux d'identification · Lyon Part-Dieu" in page
    assert response.context["form"] is None  # no agency picker


def test_the_page_shows_this_months_75_percent(agent_client, log, helene, make_customer):
    jerome = make_customer("Jérôme", "Gaël-Noël", civility="m")
    for customer in (helene, jerome, helene, None):
        log(customer, summary="Tarif solidaire")  # now: this month
    page = agent_client.get(URL).content.decode()
    assert "75 %" in page and "3/4" in page


def test_an_agent_cannot_pick_another_agency(agent_client, agency_villeurbanne):
    assert agent_client.get(URL, {"agence": agency_villeurbanne.pk}).status_code == 403


def test_an_agency_manager_cannot_pick_another_agency(client, manager_lyon, agency_villeurbanne):
    client.force_login(manager_lyon.user)
    assert client.get(URL, {"agence": agency_villeurbanne.pk}).status_code == 403


def test_the_network_director_picks_any_agency(client, director, agency_villeurbanne):
    client.force_login(director.user)
    response = client.get(URL, {"agence": agency_villeurbanne.pk})
    assert response.status_code == 200
    assert response.context["agency"] == agency_villeurbanne
    assert "Villeurbanne Gratte-Ciel" in response.content.decode()


@pytest.mark.parametrize("volume", [1, 20])
def test_page_queries_do_not_grow(agent_client, log, helene, volume, django_assert_num_queries):
    for index in range(volume):
        log(helene if index % 2 else None, reason="compliment", summary=f"Merci n° {index}")
    # session (user, agent, permissions: Redis), the GROUP BY
    # ... and the alert count in the navigation bar
    with django_assert_num_queries(3):
        response = agent_client.get(URL)
    assert response.context["table"].rows[0].overall.total == volume
