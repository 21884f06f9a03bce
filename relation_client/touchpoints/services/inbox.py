"""The alert inbox: the recipient acknowledges an alert, then resolves it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import Agent
from relation_client.touchpoints.models import Alert, AlertStatus
from socle.errors import DomainError


def _locked(alert: Alert, by: Agent) -> Alert:
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.recipient_id != by.pk:
        raise DomainError("forbidden", _("Cette alerte est adressée à quelqu'un d'autre."))
    return locked


def alert_acknowledge(*, alert: Alert, by: Agent) -> Alert:
    with transaction.atomic():
        # lock: the same person may click in two tabs
        locked = _locked(alert, by)
        if locked.status != AlertStatus.NEW:
            raise DomainError(
                "already_acknowledged", _("Cette alerte est déjà prise en compte."), "status"
            )
        locked.status = AlertStatus.ACKNOWLEDGED
        locked.acknowledged_at = timezone.now()
        locked.save(update_fields=["status", "acknowledged_at"])
    return locked


def alert_resolve(*, alert: Alert, by: Agent) -> Alert:
    with transaction.atomic():
        locked = _locked(alert, by)
        if locked.status == AlertStatus.RESOLVED:
            raise DomainError("already_resolved", _("Cette alerte est déjà résolue."), "status")
        now = timezone.now()
        locked.status = AlertStatus.RESOLVED
        locked.acknowledged_at = locked.acknowledged_at or now
        locked.resolved_at = now
        locked.save(update_fields=["status", "acknowledged_at", "resolved_at"])
    return locked
