"""The outbox: every message the product sends is a row written in the caller's
transaction, then sent by a worker after the commit.

Like the webhooks' deliveries: the worker claims the row with one conditional UPDATE on
the dispatch number its task carries (the task queued at commit and the sweep's never
both send), the SMTP or HTTP call happens outside any transaction, a failure is retried
with backoff, and after OUTBOX_MAX_ATTEMPTS the row is marked failed — visible on its
request, never a silent loss.

The sending rules (rules.py) apply on the way: a campaign or an invitation whose customer
no longer consents is cancelled just before it would leave, and a commercial SMS waits for
the next allowed moment (never at night, on Sundays or public holidays) when it is queued,
retried or picked up at a forbidden one.
"""

import datetime
import random

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from relation_client.customers.models import Customer
from relation_client.messaging.models import (
    OutboundChannel,
    OutboundMessage,
    OutboundPurpose,
    OutboundStatus,
)
from relation_client.messaging.rules import (
    consent_refusal,
    is_marketing_sms,
    marketing_sms_moment,
    stop_mention_add,
)
from relation_client.messaging.senders import SendRefused
from relation_client.messaging.sms import sms_send
from relation_client.messaging.threads import message_id_new
from socle.errors import DomainError

BACKOFF_FIRST = datetime.timedelta(seconds=30)
BACKOFF_CAP = datetime.timedelta(hours=1)
# a row handed to a worker that neither sent nor failed it by then is handed over again
REDISPATCH_AFTER = datetime.timedelta(minutes=10)
SWEEP_BATCH = 500
# marks every mail we send: a mail of ours coming back to a mailbox is never filed
OWN_HEADER = "X-Relation-Client"


def retry_delay(*, attempts: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min … at most 1 h, shortened by up to a fifth at random."""
    step = min(BACKOFF_CAP, BACKOFF_FIRST * 2 ** min(max(attempts - 1, 0), 20))
    return step * random.uniform(0.8, 1.0)


def message_queue(
    *,
    channel: str,
    purpose: str,
    to_address: str,
    body_text: str,
    subject: str = "",
    from_address: str = "",
    headers: dict[str, str] | None = None,
    in_reply_to: str = "",
    references: str = "",
    language: str = "fr",
    customer: Customer | None = None,
    request=None,
    touchpoint=None,
    agent=None,
    origin: str = "",
    not_before: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> OutboundMessage:
    """Write the message to send; a worker sends it once the caller's transaction
    commits (or the sweep does, if the queue was unreachable then).

    A commercial SMS gets its opt-out mention, and when it is due at a forbidden moment
    it waits for the next allowed one: the minute's sweep sends it then."""
    due = not_before or now or timezone.now()
    held = not_before is not None
    if is_marketing_sms(channel=channel, purpose=purpose):
        body_text = stop_mention_add(body_text)
        allowed = marketing_sms_moment(due)
        held = held or allowed != due
        due = allowed
    message = OutboundMessage.objects.create(
        channel=channel,
        purpose=purpose,
        to_address=to_address,
        from_address=from_address,
        subject=subject[:300],
        body_text=body_text,
        headers=headers or {},
        message_id=message_id_new() if channel == OutboundChannel.EMAIL else "",
        in_reply_to=in_reply_to,
        references=references,
        language=language,
        customer=customer,
        request=request,
        touchpoint=touchpoint,
        agent=agent,
        origin=origin,
        next_attempt_at=due,
    )
    if not held:
        _enqueue_after_commit([(message.pk, message.dispatch)])
    return message


def _enqueue_after_commit(claims: list[tuple[int, int]]) -> None:
    from relation_client.messaging.tasks import outbound_send  # tasks import this module

    def enqueue() -> None:
        for message_id, dispatch in claims:
            outbound_send.delay(message_id, dispatch)

    # robust: the business change is committed; if Redis is down now, the sweep catches up
    transaction.on_commit(enqueue, robust=True)


def message_claim(*, message_id: int, dispatch: int) -> OutboundMessage | None:
    claimed = OutboundMessage.objects.filter(
        pk=message_id, status=OutboundStatus.PENDING, dispatch=dispatch
    ).update(attempts=F("attempts") + 1, dispatch=F("dispatch") + 1, dispatched_at=timezone.now())
    if not claimed:
        return None
    return OutboundMessage.objects.get(pk=message_id)


def email_build(message: OutboundMessage) -> EmailMessage:
    headers = {
        "Message-ID": message.message_id,
        OWN_HEADER: str(message.pk),
        **message.headers,
    }
    if message.in_reply_to:
        headers["In-Reply-To"] = message.in_reply_to
    if message.references:
        headers["References"] = message.references
    if message.purpose == OutboundPurpose.ACKNOWLEDGEMENT:
        # RFC 3834: an automatic answer, so that auto-responders do not answer it
        headers.setdefault("Auto-Submitted", "auto-replied")
    return EmailMessage(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_address or settings.DEFAULT_FROM_EMAIL,
        to=[message.to_address],
        headers=headers,
    )


def message_record(
    *,
    message: OutboundMessage,
    error: str = "",
    give_up: bool = False,
    now: datetime.datetime | None = None,
) -> OutboundMessage:
    """Sent when no error; otherwise retried after the backoff (a commercial SMS no sooner
    than its next allowed moment), or failed after OUTBOX_MAX_ATTEMPTS (or at once when
    `give_up`). Only the holder of the claim writes; a failure does not overwrite a
    cancellation made meanwhile (a STOP received during the attempt)."""
    now = now or timezone.now()
    message.last_error = error[:300]
    message.dispatched_at = None
    if not error:
        message.status = OutboundStatus.SENT
        message.sent_at = now
    elif give_up or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        message.status = OutboundStatus.FAILED
    else:
        message.next_attempt_at = now + retry_delay(attempts=message.attempts)
        if is_marketing_sms(channel=message.channel, purpose=message.purpose):
            message.next_attempt_at = marketing_sms_moment(message.next_attempt_at)
    fields = ["status", "sent_at", "next_attempt_at", "dispatched_at", "last_error"]
    rows = OutboundMessage.objects.filter(pk=message.pk, dispatch=message.dispatch)
    if error:
        rows = rows.filter(status=OutboundStatus.PENDING)
    written = rows.update(**{name: getattr(message, name) for name in fields})
    if written and message.status == OutboundStatus.FAILED:
        for receiver in FAILURE_RECEIVERS:
            receiver(message)
    return message


def message_retry(*, message: OutboundMessage) -> OutboundMessage:
    """A given-up message goes back to the outbox as new (attempts from zero) and is
    handed to a worker after the caller's commit; anything but a failed message is
    refused (two people pressing "Réessayer" at once queue it once)."""
    retried = OutboundMessage.objects.filter(pk=message.pk, status=OutboundStatus.FAILED).update(
        status=OutboundStatus.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        dispatched_at=None,
        last_error="",
    )
    if not retried:
        raise DomainError(
            "not_failed",
            _("Ce message n'est pas en échec : il n'y a rien à réessayer."),
            field="status",
        )
    message.refresh_from_db()
    _enqueue_after_commit([(message.pk, message.dispatch)])
    return message


# called once a message is given up (the alert to its agent or the request's supervision)
FAILURE_RECEIVERS: list = []


def message_cancel(*, message: OutboundMessage, reason: str) -> OutboundMessage:
    """Never sent, and never to be: consent withdrawn or unknown at the moment of sending."""
    message.status = OutboundStatus.CANCELLED
    message.last_error = reason[:300]
    message.dispatched_at = None
    OutboundMessage.objects.filter(pk=message.pk, dispatch=message.dispatch).update(
        status=message.status, last_error=message.last_error, dispatched_at=None
    )
    return message


def message_hold(*, message: OutboundMessage, until: datetime.datetime) -> OutboundMessage:
    """Picked up at a moment it may not leave: back to waiting, the attempt not counted."""
    message.attempts -= 1
    message.next_attempt_at = until
    message.dispatched_at = None
    OutboundMessage.objects.filter(pk=message.pk, dispatch=message.dispatch).update(
        attempts=message.attempts, next_attempt_at=until, dispatched_at=None
    )
    return message


def email_send(message: OutboundMessage) -> str:
    """One SMTP attempt; "" when the server accepted it, else the error."""
    try:
        with get_connection(timeout=settings.EMAIL_TIMEOUT_SECONDS) as smtp:
            smtp.send_messages([email_build(message)])
    except (OSError, ValueError) as error:
        # refused, timed out, reset, TLS refused, recipient refused (SMTPException is OSError)
        return f"{type(error).__name__}: {error}"
    return ""


# channel -> callable(message): "" when sent, else the error to retry on; it raises
# SendRefused for an error retrying cannot fix (senders.py)
SENDERS = {OutboundChannel.EMAIL: email_send, OutboundChannel.SMS: sms_send}


def outbound_send(*, message_id: int, dispatch: int, now: datetime.datetime | None = None) -> str:
    """One attempt at one message; the resulting status, or "skipped" (another worker has
    it) or "held" (a commercial SMS picked up at night: it waits for the morning)."""
    message = message_claim(message_id=message_id, dispatch=dispatch)
    if message is None:
        return "skipped"
    if is_marketing_sms(channel=message.channel, purpose=message.purpose):
        moment = now or timezone.now()
        allowed = marketing_sms_moment(moment)
        if allowed != moment:
            message_hold(message=message, until=allowed)
            return "held"
    refusal = consent_refusal(message)
    if refusal:
        return message_cancel(message=message, reason=refusal).status
    sender = SENDERS.get(message.channel)
    if sender is None:
        return message_record(message=message, error="no sender", give_up=True, now=now).status
    try:
        error, give_up = sender(message), False
    except SendRefused as refused:
        error, give_up = str(refused) or "refused", True
    return message_record(message=message, error=error, give_up=give_up, now=now).status


_SWEEP = """
    UPDATE messaging_outboundmessage m
    SET dispatch = m.dispatch + 1, dispatched_at = %(now)s
    FROM (
        SELECT id FROM messaging_outboundmessage
        WHERE status = 'pending' AND next_attempt_at <= %(now)s
          AND (dispatched_at IS NULL OR dispatched_at <= %(stale)s)
        ORDER BY next_attempt_at
        LIMIT %(limit)s
        FOR UPDATE SKIP LOCKED
    ) due
    WHERE m.id = due.id
    RETURNING m.id, m.dispatch
"""


def outbox_sweep(*, now: datetime.datetime | None = None) -> int:
    """Hand every due pending message over to a worker: retries whose backoff ran out,
    messages held until a moment (quiet hours), and those whose task was lost."""
    now = now or timezone.now()
    params = {"now": now, "stale": now - REDISPATCH_AFTER, "limit": SWEEP_BATCH}
    total = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_SWEEP, params)
            claims = cursor.fetchall()
            if claims:
                _enqueue_after_commit(claims)
        total += len(claims)
        if len(claims) < SWEEP_BATCH:
            return total
