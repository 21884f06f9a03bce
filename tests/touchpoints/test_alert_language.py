"""An alert is kept as a code and its parameters and written in the reader's language
when read: raised while French is active, an English reader's page shows it in English,
a French reader's in French, for a bounded number of queries whatever the count."""

import pytest
from django.urls import reverse
from django.utils import translation

from relation_client.touchpoints.models import Alert, AlertKind
from relation_client.touchpoints.services import alert_raise
from tests.support.time import paris

pytestmark = pytest.mark.django_db

URL = reverse("touchpoints:alerts")
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def _three_calls(log, helene) -> Alert:
    with translation.override("fr"):
        for day in (10, 11, 12):
            log(helene, summary="Où en est ma demande ?", occurred_at=paris(2026, 11, day, 10))
    return Alert.objects.get(kind=AlertKind.REPEAT_CONTACT)


def test_an_alert_raised_in_french_is_stored_as_a_code_and_parameters(log, helene):
    alert = _three_calls(log, helene)
    assert alert.code == "repeat_contact"
    assert alert.params == {
        "customer": {"civility": "mme", "name": "Hélène Dupont-Lefèvre"},
        "count": 3,
    }
    assert alert.message == ""  # no sentence written in the writer's language


def test_the_alerts_page_speaks_the_readers_language(log, helene, agent_client):
    _three_calls(log, helene)
    english = agent_client.get(URL, **ENGLISH).content.decode()
    assert "Ms Hélène Dupont-Lefèvre has been in touch 3 times in 7 days." in english
    assert "a pris contact" not in english
    french = agent_client.get(URL, **FRENCH).content.decode()
    assert "Mme Hélène Dupont-Lefèvre a pris contact 3 fois en 7 jours." in french


def test_a_choice_in_the_parameters_is_said_in_the_readers_language(agent, helene):
    with translation.override("fr"):
        alert = alert_raise(
            kind=AlertKind.GESTURE_APPROVAL,
            recipient=agent,
            customer=helene,
            cause="test:geste:langue",
            code="gesture_approval.over_budget",
            params={
                "agent": "Karim Benali",
                "value": "12.50",
                "customer": {"civility": "mme", "name": "Hélène Dupont-Lefèvre"},
                "kind": "refund",
                "reason": "Bus supprimé sans préavis",
            },
        )
    with translation.override("en"):
        assert alert.text == (
            "Monthly budget exceeded: Karim Benali proposes a gesture of €12.50 for "
            "Ms Hélène Dupont-Lefèvre (refund): Bus supprimé sans préavis"
        )
    with translation.override("fr"):
        assert alert.text == (
            "Budget du mois dépassé : Karim Benali propose un geste de 12,50 € pour "
            "Mme Hélène Dupont-Lefèvre (remboursement) : Bus supprimé sans préavis"
        )


def test_a_row_written_before_the_codes_keeps_its_sentence(agent, helene, agent_client):
    Alert.objects.create(
        kind=AlertKind.HANDOVER,
        recipient=agent,
        customer=helene,
        cause="test:ancienne",
        code="legacy",
        message="Karim vous confie Mme Hélène Dupont-Lefèvre : rappel demandé",
    )
    english = agent_client.get(URL, **ENGLISH).content.decode()
    assert "Karim vous confie Mme Hélène Dupont-Lefèvre : rappel demandé" in english


@pytest.mark.parametrize("count", [1, 15])
def test_the_alerts_page_queries_do_not_grow_with_the_alerts(
    agent, helene, agent_client, count, django_assert_max_num_queries
):
    for number in range(count):
        alert_raise(
            kind=AlertKind.REPEAT_CONTACT,
            recipient=agent,
            customer=helene,
            cause=f"test:compte:{number}",
            params={
                "customer": {"civility": "mme", "name": "Hélène Dupont-Lefèvre"},
                "count": number + 3,
            },
        )
    agent_client.get(URL, **ENGLISH)  # the session and caches warmed
    # 6 for one alert as for fifteen: the text is made from the row's own columns
    with django_assert_max_num_queries(6):
        page = agent_client.get(URL, **ENGLISH).content.decode()
    assert page.count("has been in touch") == count
