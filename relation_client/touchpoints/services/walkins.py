"""Exchanges with a person who gave no name (a walk-in): logged in one step, attached to a
customer later, or made into a new customer's first exchange.

Not exported from the package: customers.services imports touchpoints.services, and this
module needs customer_create."""

from django.db import transaction
from django.utils.translation import gettext as _

from agences.models import Agent
from relation_client.customers.models import Customer
from relation_client.customers.services.records import CustomerData, customer_create
from relation_client.privacy.models import AuditAction
from relation_client.privacy.services import audit_record
from relation_client.touchpoints.models import (
    Direction,
    Reason,
    Request,
    Touchpoint,
    TouchpointKind,
)
from relation_client.touchpoints.services.touchpoints import touchpoint_log
from socle.errors import DomainError


def walkin_log(
    *,
    agent: Agent,
    channel: str,
    reason: Reason,
    summary: str,
    contact_left: str = "",
    open_request: bool | None = None,
) -> Touchpoint:
    """An inbound exchange with nobody named: counted in the identification rate's
    denominator, in the agency's list of unattached exchanges until someone attaches it.
    A request opens as for anyone (the reason's default or the agent's choice)."""
    return touchpoint_log(
        agent=agent,
        customer=None,
        channel=channel,
        direction=Direction.INBOUND,
        reason=reason,
        summary=summary,
        contact_left=contact_left,
        open_request=open_request,
    )


def walkin_attach(*, touchpoint: Touchpoint, customer: Customer, by: Agent) -> Touchpoint:
    """Move an unattached exchange of the agent's agency to `customer`, with the request it
    opened; one audit row on the customer says who did it. Refused when someone attached
    it in the meantime (the row is re-read under lock)."""
    with transaction.atomic():
        locked = (
            Touchpoint.objects.select_for_update(of=("self",))
            .select_related("request")
            .filter(pk=touchpoint.pk, agency_id=by.agency_id, kind=TouchpointKind.INTERACTION)
            .first()
        )
        if locked is None:
            raise DomainError("not_found", _("Échange introuvable."), field="touchpoint")
        if locked.customer_id is not None:
            raise DomainError(
                "already_attached",
                _("Cet échange est déjà rattaché à un client."),
                field="touchpoint",
            )
        if customer.anonymised_at is not None:
            raise DomainError("erased", _("Cette fiche a été effacée."), field="customer")
        locked.customer = customer
        locked.save(update_fields=["customer"])
        if locked.request_id is not None:
            # the request it opened follows, with the priority of the customer's segment
            Request.objects.filter(pk=locked.request_id, customer__isnull=True).update(
                customer=customer,
                priority=customer.segment.priority if customer.segment_id else 9,
            )
        audit_record(
            user=by.user,
            action=AuditAction.CHANGE,
            customer_ids=[customer.pk],
            channel="page",
            code="audit.walkin_attached",
            params={"pk": locked.pk, "date": f"{locked.occurred_at:%Y-%m-%d}"},
            changes={"touchpoints": {"old": [], "new": [locked.pk]}},
        )
    return locked


def walkin_customer_create(
    *, touchpoint: Touchpoint, data: CustomerData, by: Agent, confirm_duplicate: bool = False
) -> Customer:
    """A new customer from an unattached exchange, in one step: the record (raising
    DuplicateSuspected like any creation), then the exchange attached to it."""
    with transaction.atomic():
        customer = customer_create(data=data, confirm_duplicate=confirm_duplicate)
        walkin_attach(touchpoint=touchpoint, customer=customer, by=by)
    return customer
