"""The GTFS-Realtime service alerts, polled from a real HTTP server on loopback: the same
alert fetched twice is one disruption, an updated alert updates it, an alert gone from the
feed ends its disruption."""

import datetime

import pytest
from django.utils import timezone

from relation_client.network.alerts import network_alerts_poll
from relation_client.network.models import Disruption, DisruptionSource
from relation_client.network.tasks import network_poll_alerts
from socle.errors import DomainError
from tests.support.gtfs_rt_server import Alert

pytestmark = pytest.mark.django_db

MORNING = datetime.datetime(2026, 3, 10, 7, 0, tzinfo=datetime.UTC)


def _c3_alert(**changes) -> Alert:
    values = {
        "entity_id": "alerte-C3-0310",
        "header": "Ligne C3 : déviation entre Cordeliers et Part-Dieu Villette",
        "description": "Travaux rue de Bonnel : les arrêts intermédiaires ne sont pas desservis.",
        "routes": ("C3",),
        "start": MORNING,
        "end": MORNING + datetime.timedelta(hours=2),
        "cause": "CONSTRUCTION",
        "effect": "DETOUR",
    }
    return Alert(**{**values, **changes})


def test_the_same_alert_fetched_twice_is_one_disruption(network, alerts_feed):
    alerts_feed.serve([_c3_alert()])

    first = network_poll_alerts()
    second = network_poll_alerts()

    assert alerts_feed.fetches == 2
    assert (first["created"], second["created"], second["unchanged"]) == (1, 0, 1)
    disruption = Disruption.objects.get()
    assert disruption.source == DisruptionSource.GTFS_RT
    assert disruption.feed_entity_id == "alerte-C3-0310"
    # the French translation, not the English one served first
    assert disruption.header == "Ligne C3 : déviation entre Cordeliers et Part-Dieu Villette"
    assert (disruption.cause, disruption.effect) == ("construction", "detour")
    assert (disruption.starts_at, disruption.ends_at) == (
        MORNING,
        MORNING + datetime.timedelta(hours=2),
    )
    assert [line.short_name for line in disruption.lines.all()] == ["C3"]


def test_an_updated_alert_updates_its_disruption(network, alerts_feed):
    alerts_feed.serve([_c3_alert()])
    network_alerts_poll()
    pk = Disruption.objects.get().pk

    alerts_feed.serve(
        [
            _c3_alert(
                header="Lignes C3 et C13 : déviation prolongée",
                routes=("C3", "C13"),
                end=MORNING + datetime.timedelta(hours=4),
            )
        ]
    )
    report = network_alerts_poll()

    assert (report.created, report.updated) == (0, 1)
    disruption = Disruption.objects.get()
    assert disruption.pk == pk
    assert disruption.header == "Lignes C3 et C13 : déviation prolongée"
    assert disruption.ends_at == MORNING + datetime.timedelta(hours=4)
    assert {line.short_name for line in disruption.lines.all()} == {"C3", "C13"}


def test_an_alert_on_a_stop_hits_the_lines_serving_it(network, alerts_feed):
    alerts_feed.serve(
        [Alert(entity_id="arret-PDV", header="Arrêt Part-Dieu Villette fermé", stops=("PDV",))]
    )
    network_alerts_poll()

    disruption = Disruption.objects.get()
    assert {line.short_name for line in disruption.lines.all()} == {"C3", "T1", "C13"}
    assert [stop.name for stop in disruption.stops.all()] == ["Part-Dieu Villette"]


def test_an_alert_gone_from_the_feed_ends_and_one_on_an_unknown_route_is_skipped(
    network, alerts_feed
):
    alerts_feed.serve([_c3_alert(end=None)])
    network_alerts_poll()
    assert Disruption.objects.get().ends_at is None

    alerts_feed.serve([Alert(entity_id="autre-reseau", header="Ligne 99", routes=("R99",))])
    now = timezone.now()
    report = network_alerts_poll(now=now)

    assert (report.ended, report.skipped) == (1, 1)
    assert Disruption.objects.get().ends_at == now


def test_a_feed_that_is_not_protobuf_is_refused_in_french(network, alerts_feed):
    alerts_feed.payload = b"<html>Maintenance</html>"
    with pytest.raises(DomainError, match="Flux des perturbations illisible"):
        network_alerts_poll()
    assert not Disruption.objects.exists()
