"""Complaints during a disruption, linked to it; many on social media alert the network
direction.

When an inbound touchpoint with a complaint reason (`Reason.is_complaint`) is logged for
a customer who rides a line (`CustomerLine`, any source) or names one (the touchpoint
form's « Ligne citée », the contact form's « Ligne concernée »), every disruption of that
line under way at that moment, or ended less than NETWORK_COMPLAINT_WINDOW_HOURS before,
gets a `DisruptionComplaint` row (core extension point `touchpoint_logged`, in the
touchpoint's transaction). A visitor the contact form could not identify still links
through the line they named.

Once NETWORK_SOCIAL_ALERT_COMPLAINTS social-media complaints of one disruption fall within
NETWORK_SOCIAL_ALERT_WINDOW_MINUTES, the network direction gets one alert for it (the
alert's unique cause: never twice for the same disruption).
"""

import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q

from relation_client import extensions
from relation_client.network.models import Disruption, DisruptionComplaint
from relation_client.touchpoints.models import AlertKind, Channel, Direction, Touchpoint
from relation_client.touchpoints.services.alerts import alert_raise, escalation_recipient

ALERT_CODE = "social_media.disruption"
COMPLAINTS_LOCK = 4301  # advisory lock class: one disruption's social-media count

# the disruptions of the customer's lines (or the named one) under way at the touchpoint,
# or ended within the window: linked in one statement, and their ids returned
_LINK = """
    INSERT INTO network_disruptioncomplaint (disruption_id, touchpoint_id, request_id, linked_at)
    SELECT DISTINCT d.id, %(touchpoint)s::bigint, %(request)s::bigint, now()
    FROM network_disruption d
    JOIN network_disruption_lines dl ON dl.disruption_id = d.id
    WHERE d.starts_at <= %(at)s
      AND (d.ends_at IS NULL OR d.ends_at >= %(at)s - %(window)s)
      AND (dl.line_id = %(named)s
           OR dl.line_id IN (SELECT line_id FROM network_customerline
                             WHERE customer_id = %(customer)s))
    ON CONFLICT (disruption_id, touchpoint_id) DO NOTHING
    RETURNING disruption_id
"""


def is_complaint(touchpoint: Touchpoint) -> bool:
    return touchpoint.direction == Direction.INBOUND and touchpoint.reason.is_complaint


def complaint_link(*, touchpoint: Touchpoint, named_line_id: int | None = None) -> list[int]:
    """Link a complaint to the disruptions it was made in; the ids of those linked now.
    Then the social-media alert, for each of them reaching the threshold."""
    if not is_complaint(touchpoint) or (touchpoint.customer_id is None and not named_line_id):
        return []
    window = datetime.timedelta(hours=settings.NETWORK_COMPLAINT_WINDOW_HOURS)
    with connection.cursor() as cursor:
        cursor.execute(
            _LINK,
            {
                "touchpoint": touchpoint.pk,
                "request": touchpoint.request_id,
                "at": touchpoint.occurred_at,
                "window": window,
                "named": named_line_id,
                "customer": touchpoint.customer_id,
            },
        )
        linked = [row[0] for row in cursor.fetchall()]
    if touchpoint.channel == Channel.SOCIAL_MEDIA:
        for disruption_id in linked:
            _social_alert(disruption_id=disruption_id, at=touchpoint.occurred_at)
    return linked


def _social_alert(*, disruption_id: int, at: datetime.datetime) -> None:
    with connection.cursor() as cursor:
        # lock: two complaints logged at once must see each other's link, or the fifth
        # would count four twice and nobody would be alerted
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [COMPLAINTS_LOCK, disruption_id])
    since = at - datetime.timedelta(minutes=settings.NETWORK_SOCIAL_ALERT_WINDOW_MINUTES)
    count = DisruptionComplaint.objects.filter(
        disruption_id=disruption_id,
        touchpoint__channel=Channel.SOCIAL_MEDIA,
        touchpoint__occurred_at__gt=since,
        touchpoint__occurred_at__lte=at,
    ).count()
    if count < settings.NETWORK_SOCIAL_ALERT_COMPLAINTS:
        return
    disruption = Disruption.objects.prefetch_related("lines").get(pk=disruption_id)
    # the network direction first: escalation_recipient without an agency goes there
    # (then an administrator, on a network without a director)
    alert_raise(
        kind=AlertKind.SOCIAL_MEDIA,
        recipient=escalation_recipient(agency_id=None),
        cause=f"social:disruption:{disruption_id}",
        code=ALERT_CODE,
        params={
            "count": count,
            "minutes": settings.NETWORK_SOCIAL_ALERT_WINDOW_MINUTES,
            "lines": sorted(line.short_name for line in disruption.lines.all()),
            "header": disruption.header,
            "disruption": disruption_id,
        },
    )


def complaint_after(touchpoint, *, extra: dict) -> None:
    """extensions.touchpoint_logged: the line named on the form counts with those ridden."""
    line = extra.get("network_line")
    complaint_link(touchpoint=touchpoint, named_line_id=line.pk if line is not None else None)


def disruption_complaints(*, disruption: Disruption, limit: int = 50) -> dict:
    """The disruption page's complaints: how many, by channel, and the latest `limit`
    with their customer, reason and request (two queries)."""
    counts = disruption.complaints.aggregate(
        total=Count("id"),
        social=Count("id", filter=Q(touchpoint__channel=Channel.SOCIAL_MEDIA)),
    )
    latest = list(
        disruption.complaints.select_related(
            "touchpoint__customer", "touchpoint__reason", "request"
        ).order_by("-touchpoint__occurred_at", "-id")[:limit]
    )
    return {**counts, "latest": latest, "limit": limit}


def request_disruptions(*, request, agent, forms: dict) -> dict | None:
    """extensions.request_panels: the disruptions the request's complaints were linked to
    (one query), or nothing."""
    disruptions = list(
        Disruption.objects.filter(complaints__request=request)
        .distinct()
        .prefetch_related("lines")
        .order_by("-starts_at", "-id")
    )
    return {"disruptions": disruptions} if disruptions else None


DISRUPTIONS_PANEL = extensions.RequestPanel(
    name="network_disruptions",
    load=request_disruptions,
    template="network/partials/_request_disruptions.html",
)
