"""Writes of the network: a disruption entered by staff. (The GTFS import and the
GTFS-Realtime poller have their own modules: gtfs.py, alerts.py.)"""

import datetime

from django.db import transaction

from agences.models import Agent
from relation_client.network.models import Disruption, DisruptionSource, Line, Stop


def disruption_create(
    *,
    by: Agent,
    lines: list[Line],
    stops: list[Stop],
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None,
    cause: str,
    effect: str,
    header: str,
    description: str = "",
    alternative_route: str = "",
) -> Disruption:
    disruption = Disruption(
        source=DisruptionSource.STAFF,
        starts_at=starts_at,
        ends_at=ends_at,
        cause=cause,
        effect=effect,
        header=header,
        description=description,
        alternative_route=alternative_route,
        created_by=by,
    )
    disruption.full_clean()
    with transaction.atomic():
        disruption.save()
        disruption.lines.set(lines)
        disruption.stops.set(stops)
    return disruption
