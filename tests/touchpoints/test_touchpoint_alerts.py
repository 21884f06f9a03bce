"""Alerts raised by touchpoint_log: a complaint or disruption on social media, and a
customer contacting three times in seven days. Never twice for the same cause."""

import pytest

from relation_client.touchpoints.models import Alert, AlertKind, Direction
from relation_client.touchpoints.services import alert_raise
from tests.support.time import paris

pytestmark = pytest.mark.django_db


def test_a_social_media_complaint_alerts_the_usual_contact(log, helene, agent):
    touchpoint = log(
        helene,
        channel="social_media",
        reason="complaint",
        summary="Tram T2 bondé tous les matins, c'est inadmissible",
    )
    alert = Alert.objects.get(kind=AlertKind.SOCIAL_MEDIA)
    assert alert.recipient == agent
    assert alert.customer == helene
    assert alert.request == touchpoint.request
    assert alert.text.startswith("Mme Hélène Dupont-Lefèvre : réclamation sur les réseaux")


def test_a_disruption_without_usual_contact_alerts_the_supervisor(
    log, make_customer, supervisor_lyon
):
    customer = make_customer("Jérôme", "Gaël-Noël", civility="m")
    log(customer, channel="social_media", reason="disruption", summary="Métro A à l'arrêt")
    assert Alert.objects.get(kind=AlertKind.SOCIAL_MEDIA).recipient == supervisor_lyon


def test_the_same_cause_is_never_alerted_twice(log, helene, agent):
    touchpoint = log(helene, channel="social_media", reason="complaint", summary="Bus en retard")
    again = alert_raise(
        kind=AlertKind.SOCIAL_MEDIA,
        recipient=agent,
        customer=helene,
        cause=f"social:touchpoint:{touchpoint.pk}",
        code="legacy",
        params={"text": "Bus en retard"},
    )
    assert again is None
    assert Alert.objects.filter(kind=AlertKind.SOCIAL_MEDIA).count() == 1


@pytest.mark.parametrize(
    ("channel", "reason", "direction"),
    [
        ("social_media", "information", Direction.INBOUND),
        ("social_media", "complaint", Direction.OUTBOUND),
        ("phone", "complaint", Direction.INBOUND),
    ],
)
def test_no_social_alert_otherwise(log, helene, channel, reason, direction):
    log(helene, channel=channel, reason=reason, direction=direction, summary="Échange courtois")
    assert not Alert.objects.filter(kind=AlertKind.SOCIAL_MEDIA).exists()


def test_an_unidentified_person_raises_no_alert(log):
    log(None, channel="social_media", reason="complaint", summary="Ligne C3 en retard")
    assert not Alert.objects.exists()


def test_three_contacts_in_seven_days_alert_once(log, helene, agent):
    for day in (10, 11):
        log(helene, summary="Où en est ma demande ?", occurred_at=paris(2026, 11, day, 10, 0))
    assert not Alert.objects.filter(kind=AlertKind.REPEAT_CONTACT).exists()
    log(helene, summary="Troisième appel", occurred_at=paris(2026, 11, 12, 10, 0))
    alert = Alert.objects.get(kind=AlertKind.REPEAT_CONTACT)
    assert alert.recipient == agent
    assert alert.text == "Mme Hélène Dupont-Lefèvre a pris contact 3 fois en 7 jours."
    log(helene, summary="Quatrième appel", occurred_at=paris(2026, 11, 13, 10, 0))
    assert Alert.objects.filter(kind=AlertKind.REPEAT_CONTACT).count() == 1


def test_contacts_spread_over_more_than_seven_days_do_not_alert(log, helene):
    for day in (2, 9, 16):
        log(helene, summary="Appel hebdomadaire", occurred_at=paris(2026, 11, day, 10, 0))
    assert not Alert.objects.filter(kind=AlertKind.REPEAT_CONTACT).exists()


def test_a_run_of_contacts_across_a_week_boundary_alerts_once(log, helene):
    # Friday, Saturday, Sunday, Monday: two ISO weeks, one run of contacts, one alert
    for day in (13, 14, 15, 16):
        log(helene, summary="Toujours pas de réponse", occurred_at=paris(2026, 11, day, 10, 0))
    assert Alert.objects.filter(kind=AlertKind.REPEAT_CONTACT).count() == 1
