"""Celery tasks: thin wrappers taking ids, around the satisfaction services."""

import smtplib
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


@shared_task(
    name="satisfaction.tasks.send_invitation",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    max_retries=5,
)
def send_invitation(invitation_id: int) -> bool:
    """E-mail the survey link; a mail server that fails is tried again later."""
    return invitation_send(invitation_id=invitation_id)


@shared_task(name="satisfaction.tasks.invitations_sweep")
def invitations_sweep_task() -> int:
    """Every five minutes: queue again the invitations whose sending task was lost."""
    return invitations_sweep()


@shared_task(name="satisfaction.tasks.compute_indicators")
def compute_indicators(run_id: int | None = None) -> dict:
    """Recompute every satisfaction snapshot (nightly, or from the dashboard's button)."""
    return asdict(indicators_compute(run_id=run_id))
