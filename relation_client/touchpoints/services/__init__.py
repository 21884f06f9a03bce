"""Writes about touchpoints, requests, alerts and gestures.

Split by sub-domain; import the use cases from here.
"""

from relation_client.touchpoints.services.alerts import alert_raise
from relation_client.touchpoints.services.touchpoints import handover_log, touchpoint_log

__all__ = ["alert_raise", "handover_log", "touchpoint_log"]
