"""The caller card and the customer page show the disruption the customer was probably
caught in, so that the agent starts with it; a line the customer names on a touchpoint, or
declares on their lines page, makes them a rider of it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from relation_client.network.models import CustomerLine, RiderSource, RiderStrength
from relation_client.network.panels import caught_in_for, disruption_summary
from relation_client.network.riders import customer_lines_declare
from relation_client.network.services import disruption_create
from tests.network.conftest import MORNING

pytestmark = pytest.mark.django_db

PARIS_NOON = MORNING + datetime.timedelta(hours=5)  # 12:00 in Paris, the same day


def test_the_summary_says_which_line_when_and_from_what_time_to_what_time():
    assert (
        disruption_summary(
            line="C3",
            starts_at=MORNING,
            ends_at=MORNING + datetime.timedelta(hours=2),
            now=PARIS_NOON,
        )
        == "ligne C3 perturbée ce matin, 7 h–9 h"
    )
    assert (
        disruption_summary(line="T1", starts_at=MORNING, ends_at=None, now=PARIS_NOON)
        == "ligne T1 perturbée ce matin, depuis 7 h"
    )
    assert (
        disruption_summary(
            line="12",
            starts_at=MORNING + datetime.timedelta(minutes=30),
            ends_at=MORNING + datetime.timedelta(hours=3),
            now=PARIS_NOON + datetime.timedelta(days=1),
        )
        == "ligne 12 perturbée hier, 7 h 30–10 h"
    )


def test_only_a_disruption_of_their_lines_within_a_day_is_theirs(c3_disruption, riders, network):
    caught = caught_in_for([riders["helene"].pk, riders["bruno"].pk], now=PARIS_NOON)
    assert set(caught) == {riders["helene"].pk}  # Bruno rides the T1 only
    assert caught[riders["helene"].pk].disruption_id == c3_disruption.pk
    # two days later it is no longer the reason they call
    assert caught_in_for([riders["helene"].pk], now=PARIS_NOON + datetime.timedelta(days=2)) == {}


@pytest.fixture
def just_now(network, supervisor_lyon):
    """A C3 disruption that ended an hour ago (the pages read the real clock)."""
    now = timezone.now()
    return disruption_create(
        by=supervisor_lyon,
        lines=[network["C3"]],
        stops=[],
        starts_at=now - datetime.timedelta(hours=3),
        ends_at=now - datetime.timedelta(hours=1),
        cause="accident",
        effect="no_service",
        header="Ligne C3 : accident rue Garibaldi, service interrompu",
    )


def test_the_caller_card_shows_the_disruption(just_now, riders, agent_client):
    # the caller card: the incoming call box of Jérôme's number
    page = agent_client.get(
        reverse("customers:incoming_call"),
        {"phone": "07 98 76 54 32"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Probablement pris dans une perturbation" in page
    assert "ligne C3 perturbée" in page
    assert "Ligne C3 : accident rue Garibaldi, service interrompu" in page


def test_the_customer_page_shows_the_disruption_and_their_lines(just_now, riders, agent_client):
    page = agent_client.get(riders["helene"].get_absolute_url()).content.decode()
    assert "Probablement pris dans une perturbation" in page
    assert "Lignes empruntées" in page and "Déclarée à l&#x27;abonnement" in page
    other = agent_client.get(riders["bruno"].get_absolute_url()).content.decode()
    assert "Probablement pris dans une perturbation" not in other


def test_a_line_named_on_a_touchpoint_makes_a_rider(agent_client, network, make_customer):
    camille = make_customer("Camille", "Noël-Étienne")
    agent_client.post(
        reverse("customers:log_touchpoint", args=[camille.pk]),
        {
            "channel": "phone",
            "direction": "inbound",
            "reason": "information",
            "summary": "Se plaint des retards du C13 le matin",
            "outcome": "answered",
            "mood": "unhappy",
            "network_line": network["C13"].pk,
        },
        headers={"HX-Request": "true"},
    )
    link = CustomerLine.objects.get(customer=camille)
    assert (link.line, link.source, link.strength) == (
        network["C13"],
        RiderSource.MENTIONED,
        RiderStrength.OCCASIONAL,
    )


def test_lines_declared_on_the_customer_lines_page(agent_client, network, make_customer):
    lucie = make_customer("Lucie", "Ménard")
    customer_lines_declare(customer=lucie, lines=[network["T1"]], on=datetime.date(2026, 1, 5))
    url = reverse("network:customer_lines", args=[lucie.pk])
    assert "Lignes déclarées à l&#x27;abonnement" in agent_client.get(url).content.decode()

    answer = agent_client.post(url, {"lines": [network["C3"].pk, network["12"].pk]})

    assert answer.status_code == 302
    declared = CustomerLine.objects.filter(customer=lucie, source=RiderSource.DECLARED)
    assert {link.line.short_name for link in declared} == {"C3", "12"}
