"""Goodwill gestures: agents grant them within their role's limit, supervisors approve above."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext as _

from agences import roles
from agences.models import Agent
from agences.permissions import APPROVE_GESTURE
from relation_client.customers.guards import customer_ensure_writable
from relation_client.customers.models import Customer
from relation_client.touchpoints.models import (
    Alert,
    AlertKind,
    AlertStatus,
    Channel,
    Direction,
    Gesture,
    GestureKind,
    GestureLimit,
    GestureStatus,
    Reason,
    Touchpoint,
    TouchpointKind,
)
from relation_client.touchpoints.services.alerts import (
    alert_raise,
    escalation_recipient,
    supervisor_of,
)
from socle.errors import NOT_ALLOWED, DomainError

MAX_VALUE = Decimal("999999.99")  # Gesture.value: max_digits=8, decimal_places=2


def gesture_limit_for(*, agent: Agent) -> Decimal:
    """What the agent may grant without asking: their role's limit, nothing without one."""
    limit = GestureLimit.objects.filter(role=roles.role_of(agent.user)).first()
    return limit.max_value if limit else Decimal("0")


def _approver_for(agent: Agent) -> Agent | None:
    """Who approves the agent's gesture: the agency's supervisor, or a manager when the
    supervisor is the one asking."""
    approver = supervisor_of(agent.agency_id)
    if approver is not None and approver.pk != agent.pk:
        return approver
    return (
        Agent.objects.filter(
            agency_id=agent.agency_id,
            user__groups__name__in=[roles.MANAGER, roles.NETWORK_DIRECTOR],
            user__is_active=True,
        )
        .exclude(pk=agent.pk)
        .order_by("id")
        .first()
    ) or _network_approver(agent)


def _network_approver(agent: Agent) -> Agent | None:
    # an agency with nobody above the agent: the network direction (else an administrator)
    # decides, so the gesture does not wait unseen; never the asker themself
    fallback = escalation_recipient(agency_id=None)
    return fallback if fallback is not None and fallback.pk != agent.pk else None


def _approval_cause(gesture: Gesture) -> str:
    return f"gesture:{gesture.pk}:approval"


def _clean_value(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0:
        raise DomainError(
            "invalid_value", _("La valeur du geste doit être supérieure à zéro."), field="value"
        )
    if amount > MAX_VALUE:
        raise DomainError(
            "invalid_value",
            _("La valeur du geste ne peut pas dépasser %(max)s €.") % {"max": localize(MAX_VALUE)},
            field="value",
        )
    return amount.quantize(Decimal("0.01"))


def gesture_grant(
    *,
    customer: Customer,
    agent: Agent,
    kind: str,
    value: Decimal,
    reason: str,
    channel: str,
) -> Gesture:
    """Grant a gesture: at once within the agent's limit, else pending a supervisor's
    approval (who gets an alert). Either way it is on the customer's timeline."""
    customer_ensure_writable(customer)
    amount = _clean_value(value)
    if kind not in GestureKind.values:
        raise DomainError("invalid_kind", _("Type de geste inconnu."), field="kind")
    if channel not in Channel.values:
        raise DomainError("invalid_channel", _("Canal inconnu."), field="channel")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("required", _("Indiquez pourquoi ce geste est accordé."), field="reason")
    within_limit = amount <= gesture_limit_for(agent=agent)
    with transaction.atomic():
        touchpoint = Touchpoint.objects.create(
            kind=TouchpointKind.GESTURE,
            customer=customer,
            channel=channel,
            direction=Direction.OUTBOUND,
            reason=Reason.objects.get(code="other"),
            summary=reason,
            agent=agent,
            agency_id=agent.agency_id,
            occurred_at=timezone.now(),
        )
        gesture = Gesture(
            touchpoint=touchpoint,
            customer=customer,
            agency_id=agent.agency_id,
            granted_by=agent,
            kind=kind,
            value=amount,
            reason=reason,
            status=GestureStatus.GRANTED if within_limit else GestureStatus.PENDING,
        )
        gesture.full_clean(exclude=["touchpoint", "customer", "agency", "granted_by"])
        gesture.save()
        if not within_limit:
            approver = _approver_for(agent)
            if approver is not None:
                alert_raise(
                    kind=AlertKind.GESTURE_APPROVAL,
                    recipient=approver,
                    customer=customer,
                    cause=_approval_cause(gesture),
                    message=_(
                        "%(agent)s propose un geste de %(value)s € pour %(customer)s "
                        "(%(kind)s) : %(reason)s"
                    )
                    % {
                        "agent": agent.display_name,
                        "value": localize(amount),
                        "customer": customer.salutation,
                        "kind": gesture.get_kind_display().lower(),
                        "reason": reason[:120],
                    },
                )
    return gesture


def gesture_decide(*, gesture: Gesture, by: Agent, approve: bool) -> Gesture:
    """A supervisor approves or refuses a pending gesture, in one click."""
    if not by.user.has_perm(APPROVE_GESTURE):
        raise DomainError("forbidden", NOT_ALLOWED)
    with transaction.atomic():
        # lock: two supervisors may click at the same moment
        locked = Gesture.objects.select_for_update().get(pk=gesture.pk)
        if locked.agency_id != by.agency_id:
            raise DomainError("forbidden", _("Ce geste relève d'une autre agence."))
        if locked.granted_by_id == by.pk:
            raise DomainError(
                "own_gesture", _("Un autre responsable doit décider de votre propre geste.")
            )
        if locked.status != GestureStatus.PENDING:
            raise DomainError(
                "already_decided",
                _("Ce geste a déjà été traité (%(status)s).")
                % {"status": locked.get_status_display().lower()},
                field="status",
            )
        now = timezone.now()
        locked.status = GestureStatus.APPROVED if approve else GestureStatus.REFUSED
        locked.decided_by = by
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        # the approval request is settled, whoever received it
        Alert.objects.filter(cause=_approval_cause(locked)).exclude(
            status=AlertStatus.RESOLVED
        ).update(status=AlertStatus.RESOLVED, resolved_at=now)
    return locked
