"""The network's GTFS-Realtime service alerts become disruptions.

Beat polls NETWORK_ALERTS_URL (tasks.network_poll_alerts); the feed is a protobuf
`FeedMessage` decoded by the reference bindings (gtfs-realtime-bindings). Each alert is
keyed on its entity id: fetched twice, it is one disruption; changed (its text, its lines,
its period), the disruption is updated in place. An alert the feed no longer carries (or
marks deleted) is over: its disruption, still open, ends at the poll.

Lines: the routes the alert names, and the lines serving the stops it names; an alert on
nothing we know (a route of another network) is skipped and counted.
"""

import datetime
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from google.protobuf.message import DecodeError
from google.transit import gtfs_realtime_pb2

from relation_client.network.models import (
    Disruption,
    DisruptionCause,
    DisruptionEffect,
    DisruptionSource,
    Line,
    LineStop,
    Stop,
)
from socle.errors import DomainError

USER_AGENT = "RelationClient-GTFS-RT/1"
# a service-alerts feed is a few hundred kilobytes at most; more is not an alerts feed
FEED_READ_LIMIT = 16 * 1024 * 1024


@dataclass(frozen=True)
class AlertData:
    entity_id: str
    route_ids: frozenset
    stop_ids: frozenset
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    cause: str
    effect: str
    header: str
    description: str


@dataclass
class AlertsReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ended: int = 0
    skipped: int = 0


def alerts_feed_fetch(*, url: str, timeout: int) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.read(FEED_READ_LIMIT)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise DomainError(
            "alerts_unreachable",
            _("Flux des perturbations injoignable : %(error)s") % {"error": error},
            field="NETWORK_ALERTS_URL",
        ) from error


def _translated(text) -> str:
    """The French translation, else the one without a language, else the first."""
    translations = list(text.translation)
    for wanted in ("fr", ""):
        for translation in translations:
            if translation.language.lower().split("-")[0] == wanted:
                return translation.text.strip()
    return translations[0].text.strip() if translations else ""


def _moment(seconds: int) -> datetime.datetime | None:
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC) if seconds else None


def _choice(name: str, choices, default: str) -> str:
    value = name.lower()
    return value if value in choices.values else default


def alerts_parse(payload: bytes) -> tuple[list[AlertData], set[str]]:
    """The feed's alerts, and the ids of the entities it marks deleted."""
    feed = gtfs_realtime_pb2.FeedMessage()
    try:
        feed.ParseFromString(payload)
    except DecodeError as error:
        raise DomainError(
            "alerts_unreadable",
            _("Flux des perturbations illisible (protobuf GTFS-Realtime attendu)."),
            field="NETWORK_ALERTS_URL",
        ) from error
    alerts, deleted = [], set()
    for entity in feed.entity:
        if entity.is_deleted:
            deleted.add(entity.id)
            continue
        if not entity.HasField("alert"):
            continue
        alert = entity.alert
        periods = list(alert.active_period)
        starts = [period.start for period in periods if period.start]
        open_ended = not periods or any(not period.end for period in periods)
        alerts.append(
            AlertData(
                entity_id=entity.id,
                route_ids=frozenset(e.route_id for e in alert.informed_entity if e.route_id),
                stop_ids=frozenset(e.stop_id for e in alert.informed_entity if e.stop_id),
                starts_at=_moment(min(starts)) if starts else None,
                ends_at=None if open_ended else _moment(max(p.end for p in periods)),
                cause=_choice(
                    gtfs_realtime_pb2.Alert.Cause.Name(alert.cause),
                    DisruptionCause,
                    DisruptionCause.UNKNOWN,
                ),
                effect=_choice(
                    gtfs_realtime_pb2.Alert.Effect.Name(alert.effect),
                    DisruptionEffect,
                    DisruptionEffect.UNKNOWN,
                ),
                header=_translated(alert.header_text)[:200],
                description=_translated(alert.description_text),
            )
        )
    return alerts, deleted


FIELDS = ["starts_at", "ends_at", "cause", "effect", "header", "description"]


def disruptions_from_alerts(
    *, alerts: list[AlertData], deleted: set[str], now: datetime.datetime
) -> AlertsReport:
    """Create, update or end the feed's disruptions: in one transaction, a few queries
    whatever the number of alerts plus one write per alert that changed."""
    report = AlertsReport()
    line_ids = dict(Line.objects.values_list("gtfs_id", "id"))
    stop_ids = dict(
        Stop.objects.filter(
            gtfs_id__in={stop for alert in alerts for stop in alert.stop_ids}
        ).values_list("gtfs_id", "id")
    )
    lines_of_stop: dict[int, set[int]] = {}
    for line_id, stop_id in LineStop.objects.filter(stop_id__in=stop_ids.values()).values_list(
        "line_id", "stop_id"
    ):
        lines_of_stop.setdefault(stop_id, set()).add(line_id)
    with transaction.atomic():
        # the poller's rows, locked: two polls at once update each alert once after another
        existing = {
            disruption.feed_entity_id: disruption
            for disruption in Disruption.objects.select_for_update()
            .filter(source=DisruptionSource.GTFS_RT)
            .filter(
                Q(feed_entity_id__in=[alert.entity_id for alert in alerts])
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=now)
            )
            .prefetch_related("lines", "stops")
        }
        seen = set()
        for alert in alerts:
            stops = {stop_ids[stop] for stop in alert.stop_ids if stop in stop_ids}
            lines = {line_ids[route] for route in alert.route_ids if route in line_ids}
            for stop in stops:
                lines |= lines_of_stop.get(stop, set())
            if not lines:
                report.skipped += 1
                continue
            seen.add(alert.entity_id)
            disruption = existing.get(alert.entity_id)
            values = {name: getattr(alert, name) for name in FIELDS}
            if disruption is None:
                values["starts_at"] = alert.starts_at or now
                disruption = Disruption.objects.create(
                    source=DisruptionSource.GTFS_RT, feed_entity_id=alert.entity_id, **values
                )
                disruption.lines.set(lines)
                disruption.stops.set(stops)
                report.created += 1
                continue
            values["starts_at"] = alert.starts_at or disruption.starts_at
            changed = [name for name in FIELDS if getattr(disruption, name) != values[name]]
            same_lines = {line.pk for line in disruption.lines.all()} == lines
            same_stops = {stop.pk for stop in disruption.stops.all()} == stops
            if not changed and same_lines and same_stops:
                report.unchanged += 1
                continue
            for name in changed:
                setattr(disruption, name, values[name])
            disruption.save()
            if not same_lines:
                disruption.lines.set(lines)
            if not same_stops:
                disruption.stops.set(stops)
            report.updated += 1
        # gone from the feed, or marked deleted: over now
        over = [
            disruption.pk
            for entity_id, disruption in existing.items()
            if (entity_id not in seen or entity_id in deleted)
            and (disruption.ends_at is None or disruption.ends_at > now)
            and disruption.starts_at <= now
        ]
        report.ended = Disruption.objects.filter(pk__in=over).update(ends_at=now, updated_at=now)
    return report


def network_alerts_poll(
    *, url: str | None = None, now: datetime.datetime | None = None
) -> AlertsReport | None:
    """One poll of the feed (None when no feed is configured)."""
    url = settings.NETWORK_ALERTS_URL if url is None else url
    if not url:
        return None
    payload = alerts_feed_fetch(url=url, timeout=settings.NETWORK_ALERTS_TIMEOUT_SECONDS)
    alerts, deleted = alerts_parse(payload)
    return disruptions_from_alerts(alerts=alerts, deleted=deleted, now=now or timezone.now())
