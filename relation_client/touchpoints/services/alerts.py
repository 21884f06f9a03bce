"""Alerts: raised once per cause, whoever raises them and however often."""

from agences import roles
from agences.models import Agent
from relation_client.touchpoints.models import Alert
from relation_client.webhooks import events as webhooks


def alert_raise(
    *, kind: str, recipient: Agent, cause: str, message: str, customer=None, request=None
) -> Alert | None:
    """Create the alert unless one exists for the same cause: the new alert, or None."""
    # get_or_create on the unique cause: two workers raising the same alert at once
    # collide on the constraint, and the loser reads the winner's row
    alert, created = Alert.objects.get_or_create(
        cause=cause,
        defaults={
            "kind": kind,
            "recipient": recipient,
            "message": message[:300],
            "customer": customer,
            "request": request,
        },
    )
    if created:
        webhooks.alert_raised(alert=alert)
    return alert if created else None


def supervisor_of(agency_id: int) -> Agent | None:
    """The agency's supervisor (else its manager): who gets alerts with no usual contact."""
    for role in (roles.SUPERVISOR, roles.MANAGER):
        agent = (
            Agent.objects.filter(agency_id=agency_id, user__groups__name=role, user__is_active=True)
            .order_by("id")
            .first()
        )
        if agent:
            return agent
    return None
