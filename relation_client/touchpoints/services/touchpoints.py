"""Logging touchpoints, and the requests and alerts a touchpoint opens."""

import datetime
from collections.abc import Mapping

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import Agency, Agent
from relation_client import extensions
from relation_client.customers.guards import customer_ensure_writable
from relation_client.customers.models import Customer
from relation_client.messages import salutation_params
from relation_client.touchpoints.deadlines import deadline_for, request_clock_resume
from relation_client.touchpoints.models import (
    OPEN_STATUSES,
    Alert,
    AlertKind,
    Channel,
    Direction,
    Reason,
    Request,
    RequestStatus,
    Touchpoint,
    TouchpointKind,
)
from relation_client.touchpoints.selectors import request_opens
from relation_client.touchpoints.services.alerts import alert_raise, alert_recipient_for
from relation_client.webhooks import events as webhooks
from socle.errors import DomainError

REPEAT_CONTACTS = 3  # contacting this many times ...
REPEAT_WINDOW = datetime.timedelta(days=7)  # ... within this window raises an alert
# future dates tolerated for clock skew between a partner's server and ours
CLOCK_SKEW = datetime.timedelta(minutes=5)
REPEAT_LOCK = 4201  # advisory lock class for the repeat-contact check
EARLIEST_CONTACT = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _check(channel: str, direction: str, occurred_at: datetime.datetime) -> None:
    if channel not in Channel.values:
        raise DomainError(
            "invalid_channel",
            _("Canal inconnu : « %(value)s ».") % {"value": channel},
            field="channel",
        )
    if direction not in Direction.values:
        raise DomainError("invalid_direction", _("Sens inconnu."), field="direction")
    if occurred_at > timezone.now() + CLOCK_SKEW:
        raise DomainError(
            "future_date",
            _("La date du contact ne peut pas être dans le futur."),
            field="occurred_at",
        )
    if occurred_at < EARLIEST_CONTACT:  # a typo, and the date arithmetic below would overflow
        raise DomainError(
            "implausible_date", _("Date du contact invraisemblable."), field="occurred_at"
        )


def touchpoint_log(
    *,
    agent: Agent | None,
    channel: str,
    reason: Reason,
    summary: str,
    customer: Customer | None = None,
    direction: str = Direction.INBOUND,
    occurred_at: datetime.datetime | None = None,
    outcome: str = "",
    mood: str = "",
    request: Request | None = None,
    open_request: bool | None = None,
    contact_left: str = "",
    extra: Mapping[str, object] | None = None,
    agency: Agency | None = None,
) -> Touchpoint:
    """Log one interaction. `agent` is None for what arrived by itself (a mail, the
    contact form): then `agency` says whose it is. With no request attached, an exchange opens one with its
    channel's deadline when `open_request` says so, or, when it is None, when the reason
    opens one by default (a complaint does, a piece of information does not: see
    selectors.request_opens); alerts follow from what was logged. Then, in the same
    transaction, every receiver of `extensions.touchpoint_logged` runs with `extra`, the
    values of the satellites' own fields of the form (the agent's estimate and climate of
    the exchange, a reconquest outcome…)."""
    customer_ensure_writable(customer)
    occurred_at = occurred_at or timezone.now()
    _check(channel, direction, occurred_at)
    if not summary.strip():
        raise DomainError("required", _("Résumez l'échange en quelques mots."), field="summary")
    if request is not None and request.customer_id != (customer.pk if customer else None):
        raise DomainError(
            "request_mismatch", _("Cette demande concerne un autre client."), field="request"
        )
    with transaction.atomic():
        touchpoint = Touchpoint(
            customer=customer,
            channel=channel,
            direction=direction,
            reason=reason,
            summary=summary.strip(),
            agent=agent,
            agency_id=agency.pk if agency is not None else agent.agency_id,
            occurred_at=occurred_at,
            outcome=outcome,
            mood=mood,
            request=request,
            contact_left=contact_left.strip(),
        )
        touchpoint.save()
        opens = request_opens(
            reason=reason, direction=direction, outcome=outcome, open_request=open_request
        )
        if request is None and opens:
            touchpoint.request = request_open(touchpoint=touchpoint)
            touchpoint.save(update_fields=["request"])
        elif request is not None and direction == Direction.INBOUND:
            # the customer came back with what was missing: the request is ours again and
            # its paused clock runs (the row re-read under lock, not our possibly stale copy)
            request_clock_resume(request_id=request.pk, at=occurred_at)
        if customer is not None:
            _alerts_after(touchpoint)
        for receiver in extensions.touchpoint_logged:
            receiver(touchpoint, extra=extra or {})
    return touchpoint


def request_open(*, touchpoint: Touchpoint) -> Request:
    customer = touchpoint.customer
    segment_priority = customer.segment.priority if customer and customer.segment_id else 9
    assignee = (
        customer.usual_contact if customer and customer.usual_contact_id else touchpoint.agent
    )
    request = Request.objects.create(
        customer=customer,
        agency_id=touchpoint.agency_id,
        assignee=assignee,
        channel=touchpoint.channel,
        reason=touchpoint.reason,
        subject=touchpoint.summary[:200],
        status=RequestStatus.OPEN,
        deadline=deadline_for(
            agency=touchpoint.agency,
            channel=touchpoint.channel,
            start=touchpoint.occurred_at,
            segment=customer.segment if customer and customer.segment_id else None,
        ),
        priority=segment_priority,
        opened_at=touchpoint.occurred_at,
    )
    webhooks.request_opened(request=request)
    return request


def _recipient_for(customer: Customer, agency_id: int) -> Agent | None:
    # up the hierarchy of the customer's agency: an agency with no supervisor must not
    # swallow its customers' alerts
    return alert_recipient_for(
        usual_contact=customer.usual_contact, agency_id=customer.home_agency_id or agency_id
    )


def _alerts_after(touchpoint: Touchpoint) -> None:
    customer = touchpoint.customer
    recipient = _recipient_for(customer, touchpoint.agency_id)
    if recipient is None:
        return
    if (
        touchpoint.channel == Channel.SOCIAL_MEDIA
        and touchpoint.direction == Direction.INBOUND
        and touchpoint.reason.code in {"complaint", "disruption"}
    ):
        alert_raise(
            kind=AlertKind.SOCIAL_MEDIA,
            recipient=recipient,
            customer=customer,
            request=touchpoint.request,
            cause=f"social:touchpoint:{touchpoint.pk}",
            params={
                "customer": salutation_params(customer),
                "reason": touchpoint.reason.label.lower(),
                "summary": touchpoint.summary[:120],
            },
        )
    since = touchpoint.occurred_at - REPEAT_WINDOW
    with connection.cursor() as cursor:
        # lock: two agents logging for the same customer at once must not raise two alerts
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [REPEAT_LOCK, customer.pk])
    recent = Touchpoint.objects.filter(
        customer=customer,
        kind=TouchpointKind.INTERACTION,
        direction=Direction.INBOUND,
        occurred_at__gt=since,
        occurred_at__lte=touchpoint.occurred_at,
    ).count()
    already = Alert.objects.filter(
        kind=AlertKind.REPEAT_CONTACT,
        customer=customer,
        created_at__gt=timezone.now() - REPEAT_WINDOW,
    ).exists()
    if recent >= REPEAT_CONTACTS and not already:
        # one alert per run of contacts: none again while the last one is under a week old
        alert_raise(
            kind=AlertKind.REPEAT_CONTACT,
            recipient=recipient,
            customer=customer,
            cause=f"repeat:customer:{customer.pk}:touchpoint:{touchpoint.pk}",
            params={"customer": salutation_params(customer), "count": recent},
        )


def handover_log(
    *, customer: Customer, by: Agent, to: Agent, channel: str, note: str
) -> Touchpoint:
    customer_ensure_writable(customer)
    return Touchpoint.objects.create(
        kind=TouchpointKind.HANDOVER,
        customer=customer,
        channel=channel,
        direction=Direction.OUTBOUND,
        reason=Reason.objects.get(code="other"),
        summary=_("Client confié à %(agent)s. %(note)s") % {"agent": to.display_name, "note": note},
        agent=by,
        agency_id=by.agency_id,
        occurred_at=timezone.now(),
    )


__all__ = ["OPEN_STATUSES", "request_open", "touchpoint_log", "handover_log"]
