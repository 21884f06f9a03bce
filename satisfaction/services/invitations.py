"""After a touchpoint: invite the customer (sampled, with consent), e-mail the link, take
the answer given on the public page.

Durable through the core's outbox: the invitation is decided in the touchpoint's own
transaction, and its e-mail (the link minted then) is written to the outbox in that same
transaction, so both exist exactly when the touchpoint was committed. The outbox sends
it after the commit, retries a mail server that fails, and its own sweep sends what a
lost task left (Redis down at commit). `sent_at` is the moment the link was handed to
the outbox; if the outbox gives the mail up, the invitation is unsent again and its link
dropped (`invitation_mail_given_up`): no link reached anybody. invitations_sweep only
hands over invitations left without a mail (decided before the outbox sent them)."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from relation_client.customers.consents import consent_split
from relation_client.customers.greetings import (
    WRITTEN_LANGUAGES,
    customer_greeting,
    written_language,
)
from relation_client.customers.models import (
    ConsentChannel,
    ConsentPurpose,
    ContactKind,
    ContactPoint,
)
from relation_client.messaging.models import (
    OutboundChannel,
    OutboundMessage,
    OutboundPurpose,
)
from relation_client.messaging.outbox import message_queue
from relation_client.messaging.unsubscribe import unsubscribe_headers, unsubscribe_url
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

# an invitation still without its mail this long after its creation is handed over again
REDISPATCH_AFTER = datetime.timedelta(minutes=5)
SWEEP_BATCH = 1000
QUIET_PERIOD = datetime.timedelta(days=30)  # a customer is surveyed at most once in this time
INVITE_LOCK = 6101  # advisory lock class: one invitation decision per customer at a time
PAGE_LANGUAGES = WRITTEN_LANGUAGES
COMMENT_MAX = 2000
# the outbox origin of an invitation's mail: one mail per invitation, ever
ORIGIN_PREFIX = "satisfaction.invitation:"


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
        _mail_queue(invitation)
    return invitation


def invitation_origin(invitation_id: int) -> str:
    return f"{ORIGIN_PREFIX}{invitation_id}"


def page_language(language: str | None) -> str:
    return written_language(language)


def survey_url(token: str) -> str:
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return base + reverse("satisfaction:survey", args=[token])


# the invitation's first line: the core's greeting, as every message to a customer
invitation_greeting = customer_greeting


def _mail_queue(invitation: SurveyInvitation) -> OutboundMessage | None:
    """Mint the link and write the e-mail to the outbox, in the customer's language, in
    the caller's transaction (the invitation's row locked or just created)."""
    address = (
        ContactPoint.objects.filter(customer_id=invitation.customer_id, kind=ContactKind.EMAIL)
        .order_by("id")
        .values_list("value", flat=True)
        .first()
    )
    if address is None:
        return None
    token = secrets.token_urlsafe(24)
    invitation.token_hash = token_hash(token)
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["token_hash", "sent_at"])
    customer = invitation.customer
    language = page_language(customer.preferred_language)
    leave = unsubscribe_url(
        customer_id=customer.pk, channel=ConsentChannel.EMAIL, purpose=ConsentPurpose.SURVEYS
    )
    context = {
        "invitation": invitation,
        "agent_first_name": invitation.agent.first_name if invitation.agent_id else "",
        "url": survey_url(token) + f"?langue={language}",
        "unsubscribe_url": leave,
    }
    with translation.override(language):
        context["greeting"] = invitation_greeting(customer)
        subject = render_to_string("satisfaction/email/invitation_subject.txt", context).strip()
        body = render_to_string("satisfaction/email/invitation.txt", context)
    # no agent on the row: a survey mail given up is the invitation's business (reset
    # below), not an alert for the agent who served the customer
    return message_queue(
        channel=OutboundChannel.EMAIL,
        purpose=OutboundPurpose.INVITATION,
        to_address=address,
        subject=subject,
        body_text=body,
        headers=unsubscribe_headers(leave),
        language=language,
        customer=customer,
        origin=invitation_origin(invitation.pk),
    )


def _has_mail():
    origin = Concat(
        Value(ORIGIN_PREFIX), Cast(OuterRef("pk"), CharField()), output_field=CharField()
    )
    return Exists(
        OutboundMessage.objects.exclude(origin="").filter(
            origin=origin, channel=OutboundChannel.EMAIL
        )
    )


def invitation_send(*, invitation_id: int) -> bool:
    """Hand an invitation left without its mail to the outbox (the link minted now).
    True when queued now; False when it already has its mail (sent, queued, or given up),
    was answered, has expired, or the customer has no e-mail address any more."""
    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_for_update(of=("self",))
            .select_related("survey", "customer", "agent")
            .filter(
                pk=invitation_id,
                sent_at__isnull=True,
                answered_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .exclude(_has_mail())
            .first()
        )
        if invitation is None:
            return False
        return _mail_queue(invitation) is not None


def invitations_sweep(*, now: datetime.datetime | None = None) -> int:
    """Hand over to the outbox every invitation still without its mail a while after its
    creation (decided before the outbox carried the invitations, and whose task was
    lost), while its link can still be used; the outbox then guarantees the sending.
    An invitation whose mail the outbox gave up is not sent again. Returns how many."""
    now = now or timezone.now()
    # the partial index invitation_unsent serves this read
    pending = list(
        SurveyInvitation.objects.filter(
            sent_at__isnull=True,
            answered_at__isnull=True,
            created_at__lte=now - REDISPATCH_AFTER,
            expires_at__gt=now,
        )
        .exclude(_has_mail())
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return sum(invitation_send(invitation_id=invitation_id) for invitation_id in pending)


def invitation_mail_given_up(message: OutboundMessage) -> None:
    """The outbox gave an invitation's mail up: the link reached nobody, the invitation
    is unsent again (out of the response rate) and its link dropped."""
    if message.purpose != OutboundPurpose.INVITATION:
        return
    if not message.origin.startswith(ORIGIN_PREFIX):
        return
    invitation_id = message.origin.removeprefix(ORIGIN_PREFIX)
    if invitation_id.isdigit():
        SurveyInvitation.objects.filter(pk=int(invitation_id), answered_at__isnull=True).update(
            sent_at=None, token_hash=None
        )


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
