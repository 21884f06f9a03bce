"""After a touchpoint: invite the customer (sampled, with consent), send the link, take
the answer given on the public page.

Durable as the webhooks' outbox is: the invitation is decided in the touchpoint's own
transaction, so it exists exactly when the touchpoint was committed; the row, unsent,
is the outbox. Its sending is queued after the commit, and if Redis is unreachable
then (or the task is lost with a worker), invitations_sweep queues it again later."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from relation_client.customers.consents import consent_split
from relation_client.customers.models import (
    Civility,
    ConsentChannel,
    ConsentPurpose,
    ContactKind,
    ContactPoint,
    Customer,
)
from relation_client.touchpoints.models import Touchpoint, TouchpointKind
from satisfaction.common import token_hash
from satisfaction.models import (
    SERVICE_SCALE,
    AnswerSource,
    ChannelSampling,
    SurveyAnswer,
    SurveyInvitation,
)
from satisfaction.selectors import link_state
from satisfaction.services.closed_loop import closed_loop_open
from satisfaction.services.common import scale_check
from socle.errors import DomainError

# an invitation still unsent this long after its creation lost its task: queue it again
REDISPATCH_AFTER = datetime.timedelta(minutes=5)
SWEEP_BATCH = 1000
QUIET_PERIOD = datetime.timedelta(days=30)  # a customer is surveyed at most once in this time
INVITE_LOCK = 6101  # advisory lock class: one invitation decision per customer at a time
PAGE_LANGUAGES = ("fr", "en")
COMMENT_MAX = 2000


def sampled(*, touchpoint_id: int, rate) -> bool:
    """Whether this touchpoint falls in the sample. A hash, not a random draw: asking
    twice gives the same answer, so a retried task cannot invite on its second try a
    customer the first try left out."""
    digest = hashlib.sha256(f"survey-sample:{touchpoint_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < float(rate)


def _has_email(customer_id: int) -> bool:
    return ContactPoint.objects.filter(customer_id=customer_id, kind=ContactKind.EMAIL).exists()


def invitation_after_touchpoint(*, touchpoint_id: int) -> SurveyInvitation | None:
    """Invite the customer of this touchpoint to its channel's survey, or not: only a
    named customer, after an interaction, in the channel's sample, reachable by e-mail,
    who accepts surveys by e-mail and was not surveyed in the last 30 days. Idempotent:
    a second call returns the invitation the first one created (or None again)."""
    touchpoint = (
        Touchpoint.objects.select_related("customer", "agent")
        .filter(pk=touchpoint_id, kind=TouchpointKind.INTERACTION, customer__isnull=False)
        .first()
    )
    if touchpoint is None:
        return None  # gone, not an interaction, or a person who gave no name
    existing = SurveyInvitation.objects.filter(touchpoint_id=touchpoint.pk).first()
    if existing is not None:
        return existing
    sampling = (
        ChannelSampling.objects.select_related("survey")
        .filter(channel=touchpoint.channel, survey__active=True)
        .first()
    )
    if sampling is None or not sampled(touchpoint_id=touchpoint.pk, rate=sampling.rate):
        return None
    customer = touchpoint.customer
    if not _has_email(customer.pk):
        return None
    allowed, _refused = consent_split(
        customer_ids=[customer.pk], channel=ConsentChannel.EMAIL, purpose=ConsentPurpose.SURVEYS
    )
    if customer.pk not in allowed:
        return None
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            # lock: two touchpoints of the same customer handled at once must not both
            # pass the quiet-period check
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [INVITE_LOCK, customer.pk])
        existing = SurveyInvitation.objects.filter(touchpoint_id=touchpoint.pk).first()
        if existing is not None:
            return existing
        if SurveyInvitation.objects.filter(
            customer_id=customer.pk, created_at__gt=now - QUIET_PERIOD
        ).exists():
            return None
        invitation = SurveyInvitation.objects.create(
            survey=sampling.survey,
            touchpoint=touchpoint,
            customer=customer,
            agent=touchpoint.agent,
            agency_id=touchpoint.agency_id,
            channel=touchpoint.channel,
            occurred_at=touchpoint.occurred_at,
            expires_at=now + datetime.timedelta(days=sampling.survey.validity_days),
        )
        _send_after_commit(invitation.pk)
    return invitation


def _send_after_commit(invitation_id: int) -> None:
    from satisfaction.tasks import send_invitation  # tasks import the services

    # robust: the invitation is committed; if Redis is down now, the sweep catches up
    transaction.on_commit(lambda: send_invitation.delay(invitation_id), robust=True)


def invitations_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue the sending of every invitation still unsent a while after its creation
    (task lost with Redis, worker killed, mail server down through every retry), while
    its link can still be used. Sending twice is harmless: invitation_send claims the row
    under lock first. Returns how many were queued."""
    now = now or timezone.now()
    # the partial index invitation_unsent serves this read
    pending = list(
        SurveyInvitation.objects.filter(
            sent_at__isnull=True,
            answered_at__isnull=True,
            created_at__lte=now - REDISPATCH_AFTER,
            expires_at__gt=now,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for invitation_id in pending:
        _send_after_commit(invitation_id)
    return len(pending)


def page_language(language: str | None) -> str:
    return language if language in PAGE_LANGUAGES else settings.LANGUAGE_CODE


def survey_url(token: str) -> str:
    base = getattr(settings, "PUBLIC_BASE_URL", "http://localhost:8000").rstrip("/")
    return base + reverse("satisfaction:survey", args=[token])


def invitation_greeting(customer: Customer) -> str:
    """The e-mail's first line, in the active language: the name the customer chose, else
    civility and last name as a letter addresses someone ("Bonjour Madame Dupont,": in
    French the civility is written out, never "Mme", when speaking to the person), else
    the full name."""
    if customer.preferred_name:
        name = customer.preferred_name
    elif customer.civility == Civility.MADAME:
        name = pgettext("pour saluer", "Madame %(last_name)s") % {"last_name": customer.last_name}
    elif customer.civility == Civility.MONSIEUR:
        name = pgettext("pour saluer", "Monsieur %(last_name)s") % {"last_name": customer.last_name}
    else:
        name = customer.full_name
    return _("Bonjour %(name)s,") % {"name": name}


def invitation_send(*, invitation_id: int) -> bool:
    """Mint the link and e-mail it, in the customer's language. True when sent now.

    The row is claimed (sent_at) under lock before the e-mail leaves, so two workers
    never send two links; if the mail server fails, the claim is undone and the task's
    retry mints a fresh link (the first one never reached anybody)."""
    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_for_update(of=("self",))
            .select_related("survey", "customer", "agent")
            .filter(pk=invitation_id, sent_at__isnull=True, answered_at__isnull=True)
            .first()
        )
        if invitation is None:
            return False
        address = (
            ContactPoint.objects.filter(customer_id=invitation.customer_id, kind=ContactKind.EMAIL)
            .order_by("id")
            .values_list("value", flat=True)
            .first()
        )
        if address is None:
            return False
        token = secrets.token_urlsafe(24)
        invitation.token_hash = token_hash(token)
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["token_hash", "sent_at"])
    language = page_language(invitation.customer.preferred_language)
    context = {
        "invitation": invitation,
        "agent_first_name": invitation.agent.first_name if invitation.agent_id else "",
        "url": survey_url(token) + f"?langue={language}",
    }
    with translation.override(language):
        context["greeting"] = invitation_greeting(invitation.customer)
        subject = render_to_string("satisfaction/email/invitation_subject.txt", context).strip()
        body = render_to_string("satisfaction/email/invitation.txt", context)
    try:
        send_mail(subject, body, None, [address])
    except Exception:
        # whatever the mail layer raised: release the claim for the retry, then re-raise
        SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=None, token_hash=None)
        raise
    return True


def _refuse_closed_link(invitation: SurveyInvitation | None, now: datetime.datetime) -> None:
    if invitation is None:
        raise DomainError("unknown_link", _("Ce lien d'enquête n'existe pas."), field="token")
    state = link_state(invitation, now)
    if state == "answered":
        raise DomainError(
            "already_answered",
            _("Vous avez déjà répondu à cette enquête : merci encore !"),
            field="token",
        )
    if state == "expired":
        raise DomainError(
            "expired",
            _("Ce lien d'enquête a expiré : votre avis n'a pas été enregistré."),
            field="token",
        )


def answer_values_check(
    *, invitation: SurveyInvitation, score, service_rating, comment: str
) -> None:
    low, high = invitation.survey.scale
    scale_check(value=score, low=low, high=high, field="score")
    if service_rating is not None:
        scale_check(
            value=service_rating,
            low=SERVICE_SCALE[0],
            high=SERVICE_SCALE[1],
            field="service_rating",
        )
    if len(comment) > COMMENT_MAX:
        raise DomainError(
            "too_long",
            _("Le commentaire dépasse %(max)s caractères.") % {"max": COMMENT_MAX},
            field="comment",
        )


def survey_answer_submit(
    *,
    token: str,
    score: int,
    comment: str = "",
    complaint: bool = False,
    service_rating: int | None = None,
) -> SurveyAnswer:
    """The customer's answer from the public page. The link works once and until it
    expires: a used, expired or unknown link records nothing."""
    now = timezone.now()
    comment = (comment or "").strip()
    with transaction.atomic():
        # lock: a double click sends the form twice; the second waits, then finds it used
        invitation = (
            SurveyInvitation.objects.select_for_update(of=("self",))
            .select_related("survey", "customer__segment", "customer__usual_contact__agency")
            .filter(token_hash=token_hash(token))
            .first()
            if token and len(token) <= 100
            else None
        )
        _refuse_closed_link(invitation, now)
        answer_values_check(
            invitation=invitation, score=score, service_rating=service_rating, comment=comment
        )
        answer = SurveyAnswer.objects.create(
            invitation=invitation,
            score=score,
            comment=comment,
            complaint=bool(complaint),
            service_rating=service_rating,
            source=AnswerSource.WEB,
            answered_at=now,
        )
        invitation.answered_at = now
        invitation.save(update_fields=["answered_at"])
        closed_loop_open(answer=answer)
    return answer
