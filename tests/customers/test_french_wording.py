"""The pages speak French as it is written: the birth agrees with the civility ("née le
1er mai 1968"), short months are "juil.", and the staff's monthly survey is their
"Ressenti de l'équipe", not an English "Pulse"."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from relation_client.customers.models import Civility

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def namesakes(make_customer):
    """Two Léger born on a first of May: Dominique (Madame) and Claude (Monsieur), and
    Camille, whose civility nobody knows."""
    born = datetime.date(1968, 5, 1)
    return [
        make_customer("Dominique", "Léger", civility=Civility.MADAME, birth_date=born),
        make_customer("Claude", "Léger", civility=Civility.MONSIEUR, birth_date=born),
        make_customer("Camille", "Léger", birth_date=born),
    ]


def test_search_results_agree_with_the_civility(agent_client, namesakes):
    page = text(agent_client.get(reverse("customers:search"), {"q": "Léger"}))
    lines = {
        customer.first_name: re.search(rf'data-customer="{customer.pk}".*?</li>', page, re.S)[0]
        for customer in namesakes
    }
    assert "née en 1968" in lines["Dominique"]
    assert "rattachée à Lyon Part-Dieu" in lines["Dominique"]
    assert "né en 1968" in lines["Claude"] and "née" not in lines["Claude"]
    assert "rattaché à Lyon Part-Dieu" in lines["Claude"]
    assert "né(e) en 1968" in lines["Camille"]
    assert "rattaché(e) à Lyon Part-Dieu" in lines["Camille"]


def test_merge_candidates_read_nee_le_1er_mai(login, supervisor_lyon, helene, namesakes):
    page = text(
        login(supervisor_lyon).get(
            reverse("customers:merge"), {"survivor": helene.pk, "q": "Léger"}
        )
    )
    assert page.count("née le 1er mai 1968") == 1
    assert page.count("né le 1er mai 1968") == 1
    assert page.count("né(e) le 1er mai 1968") == 1
    assert "1 mai" not in page


def test_the_incoming_call_writes_juil(agent_client, helene, reasons):
    from relation_client.touchpoints.services import touchpoint_log

    touchpoint_log(
        agent=helene.usual_contact,
        customer=helene,
        channel="phone",
        reason=reasons["information"],
        summary="Horaires d'été de la ligne C3",
        occurred_at=datetime.datetime(2026, 7, 1, 10, 0, tzinfo=datetime.UTC),
    )
    page = text(agent_client.get(reverse("customers:incoming_call"), {"phone": "06 12 34 56 78"}))
    assert "1er juil. 2026" in page
    assert "jul" not in page and " jui " not in page


def test_the_staffs_monthly_survey_is_their_ressenti(agent_client):
    page = text(agent_client.get(reverse("satisfaction:pulse")))
    assert "<title>Ressenti de l'équipe" in page
    assert re.search(r"<h1[^>]*>Ressenti de l'équipe · \w+ \d{4}</h1>", page)
    assert "Ressenti de l'équipe</a></li>" in page  # the menu
    assert "Pulse" not in page and "pulse du mois" not in page
