"""The audit of list reads: every page of customers served (a list, a search) leaves one
row in the audit trail with its author, how many customers it showed and the query; one
author who reads more customers in an hour than a person would (`READ_VOLUME_ALERT`)
raises one alert to the data-protection officers per hour."""

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from agences.models import Agent
from agences.permissions import USE_PRIVACY_TOOLS
from relation_client.privacy.models import AuditAction, AuditEvent
from relation_client.privacy.services import actor_label
from relation_client.touchpoints.models import AlertKind
from relation_client.touchpoints.services import alert_raise
from relation_client.touchpoints.services.alerts import escalation_recipient

WINDOW = datetime.timedelta(hours=1)


def privacy_officers() -> QuerySet[Agent]:
    """The active staff holding USE_PRIVACY_TOOLS: through a role, on their own account,
    or as superusers."""
    app_label, codename = USE_PRIVACY_TOOLS.split(".")
    holds = (
        Q(
            user__groups__permissions__codename=codename,
            user__groups__permissions__content_type__app_label=app_label,
        )
        | Q(
            user__user_permissions__codename=codename,
            user__user_permissions__content_type__app_label=app_label,
        )
        | Q(user__is_superuser=True)
    )
    return Agent.objects.filter(holds, user__is_active=True).distinct().order_by("id")


def privacy_alert_recipients() -> list[Agent]:
    """Who receives a privacy alert: every data-protection officer; with none (the post
    vacant, the account disabled), the hierarchy's last resort like any other alert
    (`escalation_recipient`: the network direction, then an administrator), so that the
    alert is never lost. The reader's own agency is skipped on purpose: its supervisor may
    be the very author of the reads."""
    officers = list(privacy_officers())
    if officers:
        return officers
    fallback = escalation_recipient(agency_id=None)
    return [fallback] if fallback is not None else []


def audit_list_read(
    *, user, channel: str, shown: int, query: str = "", page: str = "", token=None
) -> AuditEvent:
    """One row for one page of customers served, then the volume check."""
    label = actor_label(user, token)
    if query and page:
        code, params = "audit.list.search_page", {"query": query[:150], "page": page}
    elif query:
        code, params = "audit.list.search", {"query": query[:150]}
    elif page:
        code, params = "audit.list.page", {"page": page}
    else:
        code, params = "", {}
    event = AuditEvent.objects.create(
        actor=user if user and user.is_authenticated else None,
        actor_label=label,
        action=AuditAction.LIST,
        customer_id=None,
        shown=shown,
        channel=channel,
        code=code,
        params=params,
    )
    read_volume_check(label=label, key=f"token:{token.pk}" if token else f"user:{user.pk}")
    return event


def read_volume_check(*, label: str, key: str, now: datetime.datetime | None = None) -> int:
    """How many customers this author was shown in the last hour (a list page counts what
    it showed, a record opened counts one); past the threshold, one alert per author and
    clock hour to every data-protection officer (with none, up the hierarchy:
    `privacy_alert_recipients`). Returns the count."""
    now = now or timezone.now()
    shown = AuditEvent.objects.filter(
        actor_label=label,
        at__gte=now - WINDOW,
        action__in=[AuditAction.LIST, AuditAction.VIEW],
    ).aggregate(total=Coalesce(Sum(Coalesce("shown", 1)), 0))["total"]
    if shown <= settings.READ_VOLUME_ALERT:
        return shown
    hour = timezone.localtime(now).strftime("%Y%m%d%H")
    params = {"author": label, "count": shown, "limit": settings.READ_VOLUME_ALERT}
    for officer in privacy_alert_recipients():
        alert_raise(
            kind=AlertKind.BULK_READ,
            recipient=officer,
            cause=f"bulk_read:{key}:{hour}:{officer.pk}",
            params=params,
        )
    return shown
