"""Reads about received messages for staff: the messages waiting for a person (to identify,
set aside as automatic, unreadable), one message with its attachments, the navigation's
count.

Who sees what (the requests' rule, touchpoints.selectors.requests_workable): a message
filed on a request is seen by those who may work that request; a message still waiting is
seen by the agency whose mailbox received it, and a message of a network mailbox (or of
the contact form, which has none) by every agency's team."""

import datetime

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, Substr
from django.utils import timezone

from agences.models import Agent
from relation_client.messaging.models import (
    InboundAttachment,
    InboundMessage,
    InboundStatus,
)
from relation_client.touchpoints.selectors import navigation_count_columns, requests_workable

# the tabs of the page "Messages à identifier", in order: (status, URL word)
WAITING_VIEWS = {
    "a-identifier": InboundStatus.UNIDENTIFIED,
    "automatiques": InboundStatus.AUTOMATIC,
    "illisibles": InboundStatus.MALFORMED,
}
# what an agent may still file for a customer (RECEIVED is the filer's, not a person's)
ACTIONABLE_STATUSES = [InboundStatus.UNIDENTIFIED, InboundStatus.AUTOMATIC, InboundStatus.MALFORMED]
EXCERPT_LENGTH = 220
# what a list line reads: never the raw bytes, the HTML or the whole text
LIST_FIELDS = [
    "id",
    "source",
    "mailbox__name",
    "mailbox__address",
    "mailbox__network",
    "sender_address",
    "sender_name",
    "sender_phone",
    "subject",
    "received_at",
    "status",
    "flags",
    "automatic_reason",
    "error",
]


def mailbox_scope(agency_id) -> Q:
    """The messages of an agency's mailboxes, of the network's, and of the contact form:
    what its team handles. `agency_id` may be an OuterRef (the navigation's count)."""
    return (
        Q(mailbox__agency_id=agency_id)
        | Q(mailbox__network=True)
        | Q(mailbox__isnull=True, source="web_form")
    )


def messages_waiting(*, agent: Agent, status: str) -> QuerySet[InboundMessage]:
    """The messages in `status` the agent may handle, newest first, each with an
    `excerpt` of its new part (else its text) cut in SQL. Served by inbound_to_handle for
    the unidentified and malformed ones."""
    return (
        InboundMessage.objects.filter(mailbox_scope(agent.agency_id), status=status)
        .select_related("mailbox")
        .only(*LIST_FIELDS)
        .annotate(
            excerpt=Substr(
                Coalesce(NullIf("reply_text", Value("")), "body_text"), 1, EXCERPT_LENGTH
            )
        )
        .order_by("-received_at", "-id")
    )


def waiting_counts(*, agent: Agent) -> dict[str, int]:
    """How many messages each tab holds, in one query: {"a_identifier": …, "automatiques":
    …, "illisibles": …} (the URL words, as a template can name them)."""
    return InboundMessage.objects.filter(
        mailbox_scope(agent.agency_id), status__in=WAITING_VIEWS.values()
    ).aggregate(
        **{
            word.replace("-", "_"): Count("pk", filter=Q(status=status))
            for word, status in WAITING_VIEWS.items()
        }
    )


NAVIGATION_COUNTS = ("alerts", "queue", "overdue", "unidentified")


def _count_of(queryset) -> Subquery:
    """COUNT(*) of a queryset, as a scalar subquery (no GROUP BY: one row)."""
    return Subquery(
        queryset.order_by()
        .annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("n")
    )


def navigation_counts(*, user_id: int, now: datetime.datetime | None = None) -> dict[str, int]:
    """The navigation bar's four counts in one query: the user's new and acknowledged
    alerts, their queue and its overdue requests (touchpoints.selectors
    .navigation_count_columns), and the messages their agency's team has to identify
    (mailbox_scope, against the agent's row). Zeros for a user without an agent profile."""
    row = (
        Agent.objects.filter(user_id=user_id)
        .annotate(
            **navigation_count_columns(now=now or timezone.now()),
            count_unidentified=Coalesce(
                _count_of(
                    InboundMessage.objects.filter(
                        mailbox_scope(OuterRef("agency_id")), status=InboundStatus.UNIDENTIFIED
                    )
                ),
                0,
            ),
        )
        .values_list("count_alerts", "count_queue", "count_overdue", "count_unidentified")
        .first()
    )
    return dict(zip(NAVIGATION_COUNTS, row or (0, 0, 0, 0), strict=True))


def messages_visible(*, agent: Agent) -> QuerySet[InboundMessage]:
    """Every message the agent may open: filed on a request they may work, or still
    waiting in one of their mailboxes."""
    workable = requests_workable(agent=agent).values("pk")
    # its request, or the one its contact was attached to since
    filed = Q(request__in=workable) | Q(touchpoint__request__in=workable)
    # a message whose request was deleted stays with the agency that logged it
    orphan = Q(
        status=InboundStatus.FILED, request__isnull=True, touchpoint__agency_id=agent.agency_id
    )
    waiting = Q(mailbox_scope(agent.agency_id), ~Q(status=InboundStatus.FILED))
    return InboundMessage.objects.filter(filed | orphan | waiting)


def message_for_agent(*, agent: Agent, pk: int) -> InboundMessage | None:
    """One message the agent may open, with its mailbox, customer and request, without its
    raw bytes (the attachments are listed by `attachments_of`); None for anyone else."""
    return (
        messages_visible(agent=agent)
        .filter(pk=pk)
        .select_related("mailbox", "customer__segment", "request", "filed_by", "reason")
        .defer("raw")
        .first()
    )


def attachments_of(message: InboundMessage) -> list[InboundAttachment]:
    """The attachments' names, types, sizes and refusals (their content stays in the base)."""
    return list(
        InboundAttachment.objects.filter(message=message)
        .defer("content")
        .annotate(stored=ExpressionWrapper(Q(content__isnull=False), output_field=BooleanField()))
        .order_by("id")
    )


def attachment_for_agent(*, agent: Agent, message_pk: int, pk: int) -> InboundAttachment | None:
    """One accepted attachment of a message the agent may open, with its content."""
    return (
        InboundAttachment.objects.filter(
            pk=pk,
            message_id=message_pk,
            message__in=messages_visible(agent=agent).values("pk"),
            refused="",
            content__isnull=False,
        )
        .select_related("message")
        .defer("message__raw", "message__body_html", "message__body_text")
        .first()
    )
