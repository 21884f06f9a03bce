"""Compliments (issue #20, "Reciprocity has a positive side"): a customer's thanks, logged
as a touchpoint with the "compliment" reason, is routed to the team it is meant for, whose
supervision is told through the alerts; the team reads the words on "Remerciements reçus",
never who said them; the academy's team cards count them beside the incivilities."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.test import APIClient

from agences import roles
from relation_client.touchpoints.deadlines import PARIS
from relation_client.touchpoints.models import Alert, AlertKind, Reason, Touchpoint
from relation_client.touchpoints.services import touchpoint_log
from satisfaction.models import Compliment, LineRoute, line_normalise
from satisfaction.services import incivility_report
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

LIST = reverse("satisfaction:compliment_list")
WORDS = "Remercie le conducteur de la ligne 38 pour sa patience ce matin"


def log(client, customer, **fields):
    payload = {
        "channel": "phone",
        "direction": "inbound",
        "reason": "compliment",
        "summary": WORDS,
        "outcome": "",
        "mood": "happy",
    }
    payload.update(fields)
    return client.post(
        reverse("customers:log_touchpoint", args=[customer.pk]),
        payload,
        headers={"HX-Request": "true"},
    )


@pytest.fixture
def gaston(make_customer, agency_villeurbanne):
    """A customer of Villeurbanne, calling Lyon's agent."""
    return make_customer("Gaston", "Lefèbvre-Żak", home_agency=agency_villeurbanne)


def compliment_alerts():
    return list(Alert.objects.filter(kind=AlertKind.COMPLIMENT).select_related("recipient"))


# --- routing ------------------------------------------------------------------------------


def test_a_compliment_goes_to_the_customers_agency_and_its_manager_is_told(
    agent_client, gaston, agency_villeurbanne, manager_villeurbanne, supervisor_lyon, login
):
    response = log(agent_client, gaston)

    assert response.status_code == 200
    compliment = Compliment.objects.get()
    assert (compliment.target, compliment.agency, compliment.line) == (
        "agency",
        agency_villeurbanne,
        "",
    )
    assert compliment.touchpoint == Touchpoint.objects.get(customer=gaston)
    [alert] = compliment_alerts()
    # Villeurbanne has no supervisor: its manager, not the Lyon agent's supervisor
    assert alert.recipient == manager_villeurbanne
    assert alert.customer is None  # the team reads the thanks, not who gave them
    assert alert.text == f"Remerciement pour votre équipe : « {WORDS} »"
    inbox = login(manager_villeurbanne).get(reverse("touchpoints:alerts")).content.decode()
    assert "Remerciement reçu" in inbox and "Gaston" not in inbox


def test_the_agent_may_name_another_agency(
    agent_client, helene, agency_villeurbanne, manager_villeurbanne
):
    log(agent_client, helene, compliment_agency=agency_villeurbanne.pk)
    assert Compliment.objects.get().agency == agency_villeurbanne
    assert [a.recipient for a in compliment_alerts()] == [manager_villeurbanne]


def test_an_agency_without_supervision_sends_it_up_the_hierarchy(
    agent_client, make_customer, make_staff, director
):
    bron = AgencyFactory(name="Bron Hôpitaux", city="Bron")
    make_staff("ines", "Inès Carré", roles.AGENT, bron)  # nobody above her in Bron
    customer = make_customer("Émile", "Brûlé", home_agency=bron)

    log(agent_client, customer)

    assert Compliment.objects.get().agency == bron
    assert [a.recipient for a in compliment_alerts()] == [director]


def test_a_lines_drivers_are_thanked_through_the_lines_recipient(
    agent_client, helene, agency_villeurbanne, agent_villeurbanne, manager_villeurbanne
):
    LineRoute.objects.create(line="C3", agency=agency_villeurbanne, recipient=agent_villeurbanne)

    log(agent_client, helene, compliment_line="ligne c3")

    compliment = Compliment.objects.get()
    assert (compliment.target, compliment.line, compliment.agency) == (
        "line",
        "C3",
        agency_villeurbanne,
    )
    [alert] = compliment_alerts()
    assert alert.recipient == agent_villeurbanne
    assert alert.text.startswith("Remerciement pour les conducteurs de la ligne C3 : « ")


def test_a_line_without_a_recipient_goes_to_the_network_direction(
    agent_client, helene, director, supervisor_lyon
):
    log(agent_client, helene, compliment_line="38")
    compliment = Compliment.objects.get()
    assert (compliment.line, compliment.agency) == ("38", None)
    assert [a.recipient for a in compliment_alerts()] == [director]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("38", "38"), ("Ligne 38", "38"), ("c3", "C3"), (" T-1 ", "T1"), ("L. 12", "12")],
)
def test_lines_are_written_as_the_network_writes_them(typed, kept):
    assert line_normalise(typed) == kept


def test_a_lines_recipient_is_set_in_the_admin(admin_client, agency_lyon, supervisor_lyon):
    add = reverse("admin:satisfaction_lineroute_add")
    fields = {"line": "ligne c3", "agency": agency_lyon.pk, "recipient": supervisor_lyon.pk}
    assert admin_client.post(add, fields).status_code == 302
    assert LineRoute.objects.get().line == "C3"
    again = admin_client.post(add, dict(fields, line="C 3"))
    assert again.status_code == 200 and LineRoute.objects.count() == 1  # already routed
    assert admin_client.get(reverse("admin:satisfaction_lineroute_changelist")).status_code == 200


def test_a_line_on_something_else_than_a_compliment_is_refused(agent_client, helene):
    response = log(agent_client, helene, reason="fare", compliment_line="38")
    assert response.status_code in (400, 422)
    assert "ne s&#x27;indique que pour un remerciement" in response.content.decode()
    assert not Touchpoint.objects.exists() and not Compliment.objects.exists()


def test_a_mistyped_line_is_refused(agent_client, helene):
    response = log(agent_client, helene, compliment_line="la 38 je crois")
    assert response.status_code in (400, 422)
    assert not Compliment.objects.exists()


def test_other_reasons_make_no_compliment(agent_client, helene):
    log(agent_client, helene, reason="fare")
    assert not Compliment.objects.exists() and not compliment_alerts()


def test_a_compliment_logged_through_the_api_goes_to_the_customers_agency(
    agent, helene, agency_lyon, supervisor_lyon
):
    api_client = APIClient()
    api_client.force_login(agent.user)
    response = api_client.post(
        reverse("api:touchpoint-log"),
        {"customer": helene.pk, "channel": "email", "reason": "compliment", "summary": WORDS},
    )
    assert response.status_code == 201, response.json()
    assert Compliment.objects.get().agency == agency_lyon
    assert [a.recipient for a in compliment_alerts()] == [supervisor_lyon]


# --- the team's page ----------------------------------------------------------------------


def test_the_list_shows_the_words_and_never_the_customer(
    agent_client, helene, supervisor_lyon, client, login
):
    log(
        agent_client,
        helene,
        summary="Mme Dupont-Lefèvre remercie Camille pour l'accueil chaleureux à Part-Dieu",
    )

    html = agent_client.get(LIST).content.decode()

    assert "remercie Camille pour l&#x27;accueil chaleureux à Part-Dieu" in html
    assert "Téléphone" in html and "Lyon Part-Dieu" in html
    for identity in ("Hélène", "Dupont", "Lefèvre", "06 12 34 56 78", "Helene.Dupont"):
        assert identity not in html, identity
    assert reverse("customers:detail", args=[helene.pk]) not in html
    [alert] = compliment_alerts()  # the supervisor's alert: the words, without the name
    assert alert.customer is None and "Dupont" not in alert.text
    assert "remercie Camille pour l'accueil" in alert.text


def test_a_team_reads_its_own_agencys_thanks_only(
    agent_client, helene, gaston, manager_villeurbanne, login, director
):
    log(agent_client, helene, summary="Merci à l'agence de Part-Dieu")
    log(agent_client, gaston, summary="Merci à l'équipe de Gratte-Ciel")
    log(agent_client, helene, summary="Bravo au conducteur du 38", compliment_line="38")

    mine = login(manager_villeurbanne).get(LIST).content.decode()
    assert "Merci à l&#x27;équipe de Gratte-Ciel" in mine
    assert "Part-Dieu" not in mine and "Bravo au conducteur" not in mine
    other = login(manager_villeurbanne).get(LIST, {"agence": helene.home_agency_id})
    assert other.status_code == 403

    network = login(director).get(LIST).content.decode()
    assert all(
        words in network
        for words in ("Part-Dieu", "Gratte-Ciel", "Bravo au conducteur du 38", "ligne 38")
    )


def test_the_list_runs_the_same_queries_whatever_its_length(
    agent_client, agent, helene, django_assert_max_num_queries, make_customer
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert agent_client.get(LIST).status_code == 200
        return len(queries)

    log(agent_client, helene, summary="Merci n° 0")
    agent_client.get(LIST)  # warm the per-process caches
    few = count()
    for index in range(1, 20):
        customer = make_customer("Zoé", f"Martin-{index}")
        log(agent_client, customer, summary=f"Merci n° {index}")
    assert count() == few
    with django_assert_max_num_queries(8):
        agent_client.get(LIST)


def test_the_dpo_does_not_get_the_page(login, dpo):
    assert login(dpo).get(LIST).status_code == 403


# --- the academy's team cards ---------------------------------------------------------------


def test_the_team_card_counts_compliments_beside_incivilities(
    agent_client, agent, helene, gaston, supervisor_lyon
):
    for index in range(3):
        log(agent_client, helene, summary=f"Merci n° {index}")
    log(agent_client, gaston, summary="Merci à Villeurbanne")  # another team's
    for _ in range(2):
        incivility_report(
            reported_by=agent,
            direction="against_staff",
            kind="insult",
            severity=2,
            place="counter",
            description="Insultes au guichet.",
            occurred_at=timezone.now() - datetime.timedelta(minutes=5),
        )
    month = timezone.localdate().replace(day=1)
    before = (month - datetime.timedelta(days=1)).replace(day=1)
    Compliment.objects.filter(touchpoint__summary="Merci n° 0").update(
        occurred_at=datetime.datetime.combine(before.replace(day=15), datetime.time(12), PARIS)
    )

    html = " ".join(agent_client.get(reverse("agences:academy")).content.decode().split())

    card = html[html.index('id="reciprocite-') :]
    card = card[: card.index("</table>")]
    assert date_format(before, "F Y").capitalize() in card
    assert date_format(month, "F Y").capitalize() in card
    # six months, the last two: one compliment then two; no incivility then two
    assert numbers(card, "Remerciements reçus") == ["0", "0", "0", "0", "1", "2"]
    assert numbers(card, "Incivilités signalées") == ["0", "0", "0", "0", "0", "2"]


def numbers(card: str, label: str) -> list[str]:
    row = card.split(label, 1)[1].split("</tr>", 1)[0]
    return re.findall(r'<td class="text-end">(\d+)</td>', row)


def test_an_anonymous_thanks_goes_to_the_agents_agency(agent, agency_lyon, supervisor_lyon):
    touchpoint_log(
        agent=agent,
        channel="counter",
        reason=Reason.objects.get(code="compliment"),
        summary="Un voyageur remercie l'équipe du guichet, sans donner son nom",
    )
    assert Compliment.objects.get().agency == agency_lyon
    assert [a.recipient for a in compliment_alerts()] == [supervisor_lyon]
