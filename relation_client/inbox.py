"""The agent's inbox, on their home page: the calls to return, their open requests by
deadline, their new alerts. Two queries whatever the agent's load.

"To call back" has one meaning: an open request a missed call opened or joined
(telephony: `Call.callback`, a missed call for the customer's usual contact). A request
opened with « Suite à donner » is an ordinary open request and shows among the others;
each open request assigned to the agent shows once, in one of the two lists. A request
waiting for the customer is paused: it is no call to return, and shows among the others,
marked.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from agences.models import Agent
from relation_client.telephony.models import Call
from relation_client.touchpoints.models import (
    OPEN_STATUSES,
    Alert,
    AlertStatus,
    Request,
    RequestStatus,
)

# at most this many requests read for the home page; the queue lists them all
INBOX_REQUESTS = 30
INBOX_ALERTS = 5


@dataclass
class Inbox:
    callbacks: list[Request] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    # every open request assigned to the agent, and the calls to return among them
    total: int = 0
    callback_total: int = 0
    alerts: list[Alert] = field(default_factory=list)
    alert_total: int = 0

    @property
    def request_total(self) -> int:
        """The open requests assigned to the agent that are no call to return."""
        return self.total - self.callback_total

    @property
    def more_requests(self) -> int:
        """Open requests not listed on the home page (the queue shows them)."""
        return self.request_total - len(self.requests)


def agent_inbox(
    *, agent: Agent, now: datetime.datetime | None = None, limit: int = INBOX_REQUESTS
) -> Inbox:
    """The calls to return first, the overdue ones first among them; then the other open
    requests assigned to the agent, overdue first, then by deadline (the paused ones
    carry `is_paused`); and the agent's new alerts, newest first."""
    now = now or timezone.now()
    missed = Call.objects.filter(callback_id=OuterRef("pk")).order_by("-started_at", "-id")
    to_call_back = Q(status=RequestStatus.OPEN) & Exists(missed)
    rows = list(
        Request.objects.filter(assignee=agent, status__in=OPEN_STATUSES)
        .select_related("customer")
        .annotate(
            is_overdue=ExpressionWrapper(
                Q(deadline__lt=now, status=RequestStatus.OPEN), output_field=BooleanField()
            ),
            to_call_back=ExpressionWrapper(to_call_back, output_field=BooleanField()),
            missed_at=Subquery(missed.values("started_at")[:1]),
            caller_number=Subquery(missed.values("caller_number")[:1]),
            caller_e164=Subquery(missed.values("caller_e164")[:1]),
            missed_count=Coalesce(
                Subquery(
                    Call.objects.filter(callback_id=OuterRef("pk"))
                    .order_by()
                    .values("callback_id")
                    .annotate(n=Count("id"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
            total=Window(Count("id")),
            callback_total=Window(Count("id", filter=to_call_back)),
        )
        .order_by(F("to_call_back").desc(), F("is_overdue").desc(), "deadline", "priority", "id")[
            :limit
        ]
    )
    inbox = Inbox()
    if rows:
        inbox.total, inbox.callback_total = rows[0].total, rows[0].callback_total
    for request in rows:
        (inbox.callbacks if request.to_call_back else inbox.requests).append(request)
    alerts = list(
        Alert.objects.filter(recipient=agent, status=AlertStatus.NEW)
        .select_related("customer", "request")
        .annotate(total=Window(Count("id")))
        .order_by("-created_at", "-id")[:INBOX_ALERTS]
    )
    inbox.alerts = alerts
    inbox.alert_total = alerts[0].total if alerts else 0
    return inbox
