"""The three events partners may subscribe to, and what their payloads hold.

Personal data protection: identifiers and codes only, never a name, a phone number, an
e-mail address or free text (a request's subject, an alert's message); the partner reads
the details through the API with its own scoped token. docs/webhooks.md documents these
payloads: change both together.
"""

from collections.abc import Iterable, Sequence

from relation_client.touchpoints.models import AlertKind
from relation_client.webhooks.models import EventKind
from relation_client.webhooks.services import webhook_emit, webhook_emit_many

# alerts about customers and their requests, the ones partners may hear of
PARTNER_ALERT_KINDS = {
    AlertKind.SOCIAL_MEDIA,
    AlertKind.REPEAT_CONTACT,
    AlertKind.DETRACTOR,
    AlertKind.DEADLINE_SOON,
    AlertKind.BREACH,
}


def request_opened(*, request) -> list[int]:
    """A touchpoints.Request was opened (in the caller's transaction)."""
    return webhook_emit(
        kind=EventKind.REQUEST_OPENED,
        data={
            "request": {
                "id": request.pk,
                "customer_id": request.customer_id,
                "agency_id": request.agency_id,
                "channel": request.channel,
                "reason": request.reason.code,
                "status": request.status,
                "priority": request.priority,
                "opened_at": request.opened_at,
                "deadline": request.deadline,
            }
        },
    )


def _alert_data(alert) -> dict:
    return {
        "alert": {
            "id": alert.pk,
            "kind": alert.kind,
            "status": alert.status,
            "customer_id": alert.customer_id,
            "request_id": alert.request_id,
            "created_at": alert.created_at,
        }
    }


def alert_raised(*, alert) -> list[int]:
    """A touchpoints.Alert was raised for the first time (never for a duplicate), of a
    kind about customers: staff matters (incivility, approvals, handovers, retention)
    stay inside."""
    return alerts_raised(alerts=[alert])


def alerts_raised(*, alerts: Iterable) -> list[int]:
    """Alerts just inserted in bulk (the deadline job's breaches and warnings): one
    statement for the batch, the kinds about customers only."""
    return webhook_emit_many(
        kind=EventKind.ALERT_RAISED,
        items=[_alert_data(a) for a in alerts if a.kind in PARTNER_ALERT_KINDS],
    )


# the columns reconquete's closing statement returns for each case, in this order
WON_BACK_COLUMNS = (
    "id",
    "customer_id",
    "agency_id",
    "reason",
    "opened_at",
    "won_back_at",
    "campaign_id",
)


def customers_won_back(*, cases: Iterable[Sequence]) -> list[int]:
    """Reconquest cases just closed as won back, one event each (one statement for the
    whole nightly batch), each case given as its WON_BACK_COLUMNS."""
    return webhook_emit_many(
        kind=EventKind.CUSTOMER_WON_BACK,
        items=[{"case": dict(zip(WON_BACK_COLUMNS, case, strict=True))} for case in cases],
    )
