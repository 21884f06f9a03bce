"""Writes about touchpoints, requests, alerts and gestures.

Split by sub-domain; import the use cases from here.
"""

from relation_client.touchpoints.services.alerts import alert_raise
from relation_client.touchpoints.services.breaches import (
    requests_mark_breaches,
    requests_warn_deadline_soon,
)
from relation_client.touchpoints.services.gestures import gesture_decide, gesture_grant
from relation_client.touchpoints.services.inbox import alert_acknowledge, alert_resolve
from relation_client.touchpoints.services.requests import (
    BulkRefused,
    may_reassign,
    request_answer,
    request_answer_logged,
    request_attach_touchpoint,
    request_close,
    request_ensure_workable,
    request_escalate,
    request_reassign,
    request_reopen,
    request_resume,
    request_wait_customer,
    requests_bulk,
)
from relation_client.touchpoints.services.touchpoints import handover_log, touchpoint_log

__all__ = [
    "BulkRefused",
    "alert_acknowledge",
    "alert_raise",
    "alert_resolve",
    "gesture_decide",
    "gesture_grant",
    "handover_log",
    "may_reassign",
    "request_answer",
    "request_answer_logged",
    "request_attach_touchpoint",
    "request_close",
    "request_ensure_workable",
    "request_escalate",
    "request_reassign",
    "request_reopen",
    "request_resume",
    "request_wait_customer",
    "requests_bulk",
    "requests_mark_breaches",
    "requests_warn_deadline_soon",
    "touchpoint_log",
]
