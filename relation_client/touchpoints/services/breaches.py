"""Deadlines watched by the beat job: breaches marked once, warnings before they happen.

Both run every few minutes over the whole network: they work set-based (one UPDATE
… RETURNING, one SELECT) and insert their alerts in one statement. The unique
`Alert.cause` makes a second run, or two workers running at once, harmless.
"""

import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relation_client.customers.models import Customer
from relation_client.touchpoints.models import (
    Alert,
    AlertKind,
    Request,
    RequestStatus,
)
from relation_client.touchpoints.services.alerts import escalation_recipient
from relation_client.webhooks import events as webhooks
from socle.dates import date_text

DEADLINE_SOON = datetime.timedelta(hours=1)

# Marks every running request past its deadline and not yet marked, in one statement,
# and returns what the alerts need. Served by the partial index request_unbreached.
# A request waiting for the customer is paused (its clock stands still): never flagged.
_MARK_BREACHES = """
WITH breached AS (
    UPDATE {request} AS r
       SET breached_at = %(now)s
     WHERE r.status = %(running)s
       AND r.breached_at IS NULL
       AND r.deadline < %(now)s
 RETURNING r.id, r.agency_id, r.assignee_id, r.customer_id, r.subject, r.deadline
)
SELECT b.id, b.agency_id, b.assignee_id, b.customer_id, b.subject, b.deadline,
       c.civility, c.first_name, c.last_name, c.preferred_name
  FROM breached AS b
  LEFT JOIN {customer} AS c ON c.id = b.customer_id
 ORDER BY b.id
"""


def _deadline_key(deadline: datetime.datetime) -> int:
    # part of an alert's cause: a request reopened with a new deadline may warn again
    return int(deadline.timestamp())


def _when(deadline: datetime.datetime) -> str:
    return date_text(timezone.localtime(deadline), "SHORT_DATETIME_FORMAT")


def _about(subject: str, customer: Customer | None) -> str:
    if customer is None:
        return f"« {subject[:120]} »"
    return f"{customer.salutation} — « {subject[:120]} »"


def _insert_new(alerts: list[Alert]) -> int:
    """Insert the alerts whose cause is new; the number inserted."""
    if not alerts:
        return 0
    known = set(
        Alert.objects.filter(cause__in=[a.cause for a in alerts]).values_list("cause", flat=True)
    )
    fresh = [a for a in alerts if a.cause not in known]
    # ignore_conflicts: a worker running the same job at the same moment inserted it first
    Alert.objects.bulk_create(fresh, ignore_conflicts=True)
    # partners subscribed to alert.raised hear of them (ignore_conflicts returns no ids)
    inserted = Alert.objects.filter(cause__in=[a.cause for a in fresh])
    webhooks.alerts_raised(alerts=inserted)
    return len(fresh)


def requests_mark_breaches(*, now: datetime.datetime | None = None) -> int:
    """Mark open requests (not those paused, waiting for the customer) past their deadline and alert their assignee and the agency's
    supervisor, once. Returns the number of requests newly marked."""
    now = now or timezone.now()
    sql = _MARK_BREACHES.format(
        request=connection.ops.quote_name(Request._meta.db_table),
        customer=connection.ops.quote_name(Customer._meta.db_table),
    )
    supervisors: dict[int, int | None] = {}
    with transaction.atomic():
        # alerts in the same transaction: if they fail, the marks roll back and the next
        # run tries again, so no breach is ever marked without its alerts
        with connection.cursor() as cursor:
            cursor.execute(sql, {"now": now, "running": str(RequestStatus.OPEN)})
            rows = cursor.fetchall()
        alerts = []
        for (
            request_id,
            agency_id,
            assignee_id,
            customer_id,
            subject,
            deadline,
            civility,
            first_name,
            last_name,
            preferred_name,
        ) in rows:
            customer = (
                Customer(
                    civility=civility,
                    first_name=first_name,
                    last_name=last_name,
                    preferred_name=preferred_name,
                )
                if customer_id
                else None
            )
            if agency_id not in supervisors:
                supervisor = escalation_recipient(agency_id=agency_id)
                supervisors[agency_id] = supervisor.pk if supervisor else None
            message = _("Échéance dépassée (%(deadline)s) : %(about)s") % {
                "deadline": _when(deadline),
                "about": _about(subject, customer),
            }
            recipients = dict.fromkeys(r for r in (assignee_id, supervisors[agency_id]) if r)
            for recipient_id in recipients:
                alerts.append(
                    Alert(
                        kind=AlertKind.BREACH,
                        recipient_id=recipient_id,
                        customer_id=customer_id,
                        request_id=request_id,
                        message=message[:300],
                        cause=f"breach:request:{request_id}:{_deadline_key(deadline)}"
                        f":agent:{recipient_id}",
                    )
                )
        _insert_new(alerts)
    return len(rows)


def requests_warn_deadline_soon(
    *, now: datetime.datetime | None = None, within: datetime.timedelta = DEADLINE_SOON
) -> int:
    """Warn the assignee (else the agency's supervisor) of running requests due within
    `within`, once per request and deadline. Returns the number of alerts raised."""
    now = now or timezone.now()
    due = (
        Request.objects.filter(
            status=RequestStatus.OPEN,  # paused requests are not due
            breached_at__isnull=True,
            deadline__gte=now,
            deadline__lt=now + within,
        )
        .select_related("customer")
        .only(
            "id",
            "agency",
            "assignee",
            "customer",
            "subject",
            "deadline",
            "customer__civility",
            "customer__first_name",
            "customer__last_name",
            "customer__preferred_name",
        )
        .order_by("deadline", "id")
    )
    supervisors: dict[int, int | None] = {}
    alerts = []
    for request in due:
        recipient_id = request.assignee_id
        if recipient_id is None:
            if request.agency_id not in supervisors:
                supervisor = escalation_recipient(agency_id=request.agency_id)
                supervisors[request.agency_id] = supervisor.pk if supervisor else None
            recipient_id = supervisors[request.agency_id]
        if recipient_id is None:
            continue
        alerts.append(
            Alert(
                kind=AlertKind.DEADLINE_SOON,
                recipient_id=recipient_id,
                customer_id=request.customer_id,
                request_id=request.pk,
                message=(
                    _("Échéance proche (%(deadline)s) : %(about)s")
                    % {
                        "deadline": _when(request.deadline),
                        "about": _about(request.subject, request.customer),
                    }
                )[:300],
                cause=f"soon:request:{request.pk}:{_deadline_key(request.deadline)}"
                f":agent:{recipient_id}",
            )
        )
    with transaction.atomic():
        return _insert_new(alerts)
