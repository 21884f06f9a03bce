"""Alerts: raised once per cause, whoever raises them and however often, and never lost
for want of a recipient."""

import logging

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from agences import roles
from agences.models import Agent
from relation_client import live
from relation_client.touchpoints.models import Alert
from relation_client.touchpoints.selectors import PENDING_ALERTS
from relation_client.webhooks import events as webhooks

logger = logging.getLogger(__name__)


def alert_raise(
    *,
    kind: str,
    recipient: Agent | None,
    cause: str,
    params: dict,
    code: str = "",
    customer=None,
    request=None,
    agency_id: int | None = None,
) -> Alert | None:
    """Create the alert unless one exists for the same cause: the new alert, or None.

    The text is `code` (the kind when empty) and its `params`, read in the reader's
    language (socle.messages): names, numbers, dates as ISO strings, ids, choice codes.

    With no recipient, the alert climbs the hierarchy of `agency_id` (escalation_recipient):
    an alert nobody receives is a customer nobody answers."""
    if recipient is None:
        recipient = escalation_recipient(agency_id=agency_id)
    if recipient is None:
        # only a database with no active staff at all gets here (an empty install)
        logger.error("alert %s has nobody to go to: no active staff", cause)
        return None
    # get_or_create on the unique cause: two workers raising the same alert at once
    # collide on the constraint, and the loser reads the winner's row
    alert, created = Alert.objects.get_or_create(
        cause=cause,
        defaults={
            "kind": kind,
            "recipient": recipient,
            "code": code or kind,
            "params": params,
            "customer": customer,
            "request": request,
        },
    )
    if created:
        webhooks.alert_raised(alert=alert)
        _alert_live(alert)
    return alert if created else None


def _alert_url(alert: Alert) -> str:
    if alert.request_id:
        return reverse("touchpoints:request_detail", args=[alert.request_id])
    if alert.customer_id:
        return reverse("customers:detail", args=[alert.customer_id])
    return reverse("touchpoints:alerts")


def _alert_live(alert: Alert) -> None:
    """After the commit, the recipient's open pages show the alert, in the page's
    language, and their new count (static/js/live.js): one count query, one publish. Safe to lose (Redis down, a
    failed count): the alert and its count are rows, shown on the next page."""
    recipient_id = alert.recipient_id
    # the stream writes the text in the language of each page that receives it
    data = {
        "message": live.text(code=alert.code, params=alert.params, fallback=alert.message),
        "url": _alert_url(alert),
    }

    def publish() -> None:
        count = Alert.objects.filter(recipient_id=recipient_id, status__in=PENDING_ALERTS).count()
        live.publish(agent_ids=[recipient_id], event="alert", data={**data, "count": count})

    transaction.on_commit(publish, robust=True)


def _first_active(**filters) -> Agent | None:
    return Agent.objects.filter(user__is_active=True, **filters).order_by("id").first()


def supervisor_of(agency_id: int) -> Agent | None:
    """The agency's supervisor (else its manager): who gets alerts with no usual contact."""
    for role in (roles.SUPERVISOR, roles.MANAGER):
        agent = _first_active(agency_id=agency_id, user__groups__name=role)
        if agent:
            return agent
    return None


def escalation_recipient(*, agency_id: int | None) -> Agent | None:
    """Who receives what nobody nearer can: the agency's supervisor, its manager, the
    network direction, then an administrator. None only when no active staff exists."""
    if agency_id is not None:
        nearest = supervisor_of(agency_id)
        if nearest is not None:
            return nearest
    director = _first_active(user__groups__name=roles.NETWORK_DIRECTOR)
    if director is not None:
        return director
    return (
        Agent.objects.filter(
            Q(user__groups__name=roles.ADMINISTRATOR) | Q(user__is_superuser=True),
            user__is_active=True,
        )
        .order_by("id")
        .first()
    )


def alert_recipient_for(*, usual_contact: Agent | None, agency_id: int | None) -> Agent | None:
    """The usual contact while they can still sign in, else the agency's escalation."""
    if usual_contact is not None and usual_contact.user.is_active:
        return usual_contact
    return escalation_recipient(agency_id=agency_id)
