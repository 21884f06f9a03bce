"""Goodwill gestures: agents grant them within their role's limit, supervisors approve above.

The agency's monthly budget is enforced: a gesture that would take the month above it
waits for a manager (alerted, up the hierarchy when the agency has none), and the
manager is told once a month when the month crosses 80 %. Every decision that counts a
gesture against the budget holds the agency's row lock, so gestures posted at once
cannot overshoot it together."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext as _

from agences import roles
from agences.models import Agent
from agences.models.staff import Agency
from agences.permissions import APPROVE_GESTURE, APPROVE_OVER_BUDGET
from relation_client.customers.guards import customer_ensure_writable
from relation_client.customers.models import Customer
from relation_client.messages import salutation_params
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
from relation_client.touchpoints.selectors import gesture_budget, month_bounds
from relation_client.touchpoints.services.alerts import (
    alert_raise,
    alert_recipient_for,
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


def _budget_approver_for(agency_id: int, *, asker: Agent | None) -> Agent | None:
    """Who decides above the budget: the agency's manager, else up the hierarchy (the
    network direction, then an administrator); never the asker themself."""
    manager = (
        Agent.objects.filter(
            agency_id=agency_id, user__groups__name=roles.MANAGER, user__is_active=True
        )
        .exclude(pk=asker.pk if asker else None)
        .order_by("id")
        .first()
    )
    recipient = alert_recipient_for(usual_contact=manager, agency_id=None)
    if recipient is not None and asker is not None and recipient.pk == asker.pk:
        recipient = (
            Agent.objects.filter(
                user__groups__name__in=[roles.NETWORK_DIRECTOR, roles.ADMINISTRATOR],
                user__is_active=True,
            )
            .exclude(pk=asker.pk)
            .order_by("id")
            .first()
        )
    return recipient


def _approval_cause(gesture: Gesture) -> str:
    # above the budget, a cause of its own: a supervisor's request may precede it
    return f"gesture:{gesture.pk}:{'budget' if gesture.over_budget else 'approval'}"


def _approval_causes(gesture: Gesture) -> list[str]:
    return [f"gesture:{gesture.pk}:approval", f"gesture:{gesture.pk}:budget"]


ALERT_THRESHOLD = 80  # percent of the month's budget at which the manager is told


def _lock_budget(agency_id: int) -> Agency:
    # the agency's row is the budget's lock: every gesture of the agency that may count
    # against the month waits here for the one before it (like the campaign launch lock)
    return Agency.objects.select_for_update().get(pk=agency_id)


def _fits_budget(agency: Agency, amount: Decimal, *, moment=None) -> bool:
    return gesture_budget(agency=agency, now=moment).granted + amount <= (
        agency.monthly_gesture_budget
    )


def _alert_threshold_crossed(agency: Agency, *, moment=None) -> None:
    """Once per Paris month, the manager learns the month's gestures reached 80 %."""
    budget = gesture_budget(agency=agency, now=moment)
    if budget.allotted <= 0 or budget.granted * 100 < budget.allotted * ALERT_THRESHOLD:
        return
    month = month_bounds(moment)[0]
    alert_raise(
        kind=AlertKind.GESTURE_BUDGET,
        recipient=_budget_approver_for(agency.pk, asker=None),
        cause=f"gesture_budget:agency:{agency.pk}:{month:%Y-%m}",
        params={
            "agency": agency.name,
            "granted": str(budget.granted),
            "allotted": str(budget.allotted),
            "percent": budget.percent,
        },
    )


def _ask_approval(gesture: Gesture, *, approver: Agent | None, over_budget: bool) -> None:
    alert_raise(
        kind=AlertKind.GESTURE_APPROVAL,
        recipient=approver,
        customer=gesture.customer,
        cause=_approval_cause(gesture),
        code="gesture_approval.over_budget" if over_budget else "gesture_approval",
        params={
            "agent": gesture.granted_by.display_name,
            "value": str(gesture.value),
            "customer": salutation_params(gesture.customer),
            "kind": gesture.kind,
            "reason": gesture.reason[:120],
        },
    )


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
        agency = _lock_budget(agent.agency_id)
        over_budget = not _fits_budget(agency, amount)
        granted = within_limit and not over_budget
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
            status=GestureStatus.GRANTED if granted else GestureStatus.PENDING,
            over_budget=over_budget,
        )
        gesture.full_clean(exclude=["touchpoint", "customer", "agency", "granted_by"])
        gesture.save()
        if over_budget:
            approver = _budget_approver_for(agent.agency_id, asker=agent)
            _ask_approval(gesture, approver=approver, over_budget=True)
        elif not within_limit:
            _ask_approval(gesture, approver=_approver_for(agent), over_budget=False)
        else:
            _alert_threshold_crossed(agency)
    return gesture


def _may_decide(gesture: Gesture, by: Agent) -> bool:
    """The gesture's agency's approver (a manager above the budget), or whoever its
    approval alert climbed to when the agency had nobody."""
    needed = APPROVE_OVER_BUDGET if gesture.over_budget else APPROVE_GESTURE
    if gesture.agency_id == by.agency_id and by.user.has_perm(needed):
        return True
    # whatever the alert's status: marking it read does not take the decision away
    return Alert.objects.filter(cause=_approval_cause(gesture), recipient=by).exists()


def gesture_decide(*, gesture: Gesture, by: Agent, approve: bool) -> Gesture:
    """A supervisor approves or refuses a pending gesture, in one click; above the
    agency's budget, a manager does (or whom the approval alert went to)."""
    if not by.user.has_perm(APPROVE_GESTURE):
        raise DomainError("forbidden", NOT_ALLOWED)
    with transaction.atomic():
        # the budget first, then the gesture: the same order as gesture_grant
        agency = _lock_budget(gesture.agency_id)
        # lock: two supervisors may click at the same moment
        locked = Gesture.objects.select_for_update().get(pk=gesture.pk)
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
        if not _may_decide(locked, by):
            if locked.over_budget:
                raise DomainError(
                    "over_budget",
                    _("Ce geste dépasse le budget du mois : seul un manager peut en décider."),
                )
            raise DomainError("forbidden", _("Ce geste relève d'une autre agence."))
        now = timezone.now()
        if (
            approve
            and not locked.over_budget
            and not _fits_budget(agency, locked.value, moment=locked.created_at)
        ):
            # approved above the agent's limit while the month filled up: the budget now
            # needs a manager, who is asked in place of the supervisor
            locked.over_budget = True
            locked.save(update_fields=["over_budget"])
            Alert.objects.filter(cause__in=_approval_causes(locked)).exclude(
                status=AlertStatus.RESOLVED
            ).update(status=AlertStatus.RESOLVED, resolved_at=now)
            if not _may_decide(locked, by):
                _ask_approval(
                    locked,
                    approver=_budget_approver_for(locked.agency_id, asker=locked.granted_by),
                    over_budget=True,
                )
                return locked
        locked.status = GestureStatus.APPROVED if approve else GestureStatus.REFUSED
        locked.decided_by = by
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        # the approval request is settled, whoever received it
        Alert.objects.filter(cause__in=_approval_causes(locked)).exclude(
            status=AlertStatus.RESOLVED
        ).update(status=AlertStatus.RESOLVED, resolved_at=now)
        if approve:
            _alert_threshold_crossed(agency, moment=locked.created_at)
    return locked
