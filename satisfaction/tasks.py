"""Celery tasks: thin wrappers taking ids, around the satisfaction services."""

from dataclasses import asdict

from celery import shared_task

from satisfaction.services.indicators import indicators_compute
from satisfaction.services.invitations import (
    invitation_after_touchpoint,
    invitation_send,
    invitations_sweep,
)


@shared_task(name="satisfaction.tasks.invite_after_touchpoint")
def invite_after_touchpoint(touchpoint_id: int) -> int | None:
    """The invitation decision for one touchpoint, for replaying it by hand (touchpoints
    decide in their own transaction): the invitation's id, or None. Idempotent."""
    invitation = invitation_after_touchpoint(touchpoint_id=touchpoint_id)
    return invitation.pk if invitation else None


@shared_task(name="satisfaction.tasks.send_invitation")
def send_invitation(invitation_id: int) -> bool:
    """Hand an invitation left without its mail to the outbox, which sends it (kept for
    the tasks queued before invitations went through the outbox, and to replay by hand)."""
    return invitation_send(invitation_id=invitation_id)


@shared_task(name="satisfaction.tasks.invitations_sweep")
def invitations_sweep_task() -> int:
    """Every five minutes: hand the invitations still without their mail to the outbox."""
    return invitations_sweep()


@shared_task(name="satisfaction.tasks.compute_indicators")
def compute_indicators(run_id: int | None = None) -> dict:
    """Recompute every satisfaction snapshot (nightly, or from the dashboard's button)."""
    return asdict(indicators_compute(run_id=run_id))
