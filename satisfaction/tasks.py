"""Celery tasks: thin wrappers taking ids, around the satisfaction services."""

import smtplib
from dataclasses import asdict

from celery import shared_task

from satisfaction.services.indicators import indicators_compute
from satisfaction.services.invitations import invitation_after_touchpoint, invitation_send


@shared_task(name="satisfaction.tasks.invite_after_touchpoint")
def invite_after_touchpoint(touchpoint_id: int) -> int | None:
    """Queued once a touchpoint is committed: the invitation's id, or None if the
    customer is not to be surveyed this time. Idempotent."""
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


@shared_task(name="satisfaction.tasks.compute_indicators")
def compute_indicators(run_id: int | None = None) -> dict:
    """Recompute every satisfaction snapshot (nightly, or from the dashboard's button)."""
    return asdict(indicators_compute(run_id=run_id))
