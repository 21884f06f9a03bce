"""Routing a caller and recording what the phone system says happened to the call.

Routing is on the phone system's dial plan path: two queries (the number's customers with
their usual contact, agency and account; the usual contact's absence today), no write
unless the phone system gives its call id.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import Agency, Agent, AgentAbsence
from relation_client import live
from relation_client.customers.models import ContactKind, Customer
from relation_client.customers.normalize import phone_try_normalize
from relation_client.telephony.models import Call, CallEvent, CallEventKind, CallState, RouteTarget
from relation_client.touchpoints.deadlines import is_open_at
from relation_client.touchpoints.models import Direction, Reason, Touchpoint
from relation_client.touchpoints.services.touchpoints import touchpoint_log
from socle.errors import DomainError

# the reason of the callback request a missed call opens
CALLBACK_REASON = "other"


@dataclass(frozen=True)
class Route:
    target: str
    extension: str = ""
    queue: str = ""
    customer: Customer | None = None
    agent: Agent | None = None
    # several customers share the number (a family landline): the PBX announces none
    shared: bool = False


def _callers(e164: str) -> list[Customer]:
    return list(
        Customer.objects.filter(
            contact_points__kind=ContactKind.PHONE,
            contact_points__value=e164,
            anonymised_at__isnull=True,
        )
        .select_related("usual_contact__agency", "usual_contact__user", "home_agency")
        .order_by("pk")[:10]
    )


def agent_reachable(agent: Agent | None, at: datetime.datetime) -> bool:
    """At work now: an extension, an active account, their agency open, not away today."""
    if agent is None or not agent.phone_extension or not agent.user.is_active:
        return False
    if not is_open_at(agent.agency, at):
        return False
    today = timezone.localtime(at).date()
    return not AgentAbsence.objects.filter(agent=agent, start__lte=today, end__gte=today).exists()


def _agency_route(agency: Agency | None, at: datetime.datetime, **known) -> Route:
    if agency is not None and agency.phone_queue and is_open_at(agency, at):
        return Route(RouteTarget.AGENCY_QUEUE, queue=agency.phone_queue, **known)
    return Route(RouteTarget.NETWORK_QUEUE, queue=settings.TELEPHONY_NETWORK_QUEUE, **known)


def call_route(*, caller: str, at: datetime.datetime | None = None) -> Route:
    """Where to put this caller: their usual contact's extension when at work, else their
    agency's queue when open, else the network's. A withheld or unreadable number goes
    to the network's queue."""
    at = at or timezone.now()
    e164 = phone_try_normalize(caller) if caller else None
    customers = _callers(e164) if e164 else []
    if not customers:
        return _agency_route(None, at)
    if len(customers) > 1:
        contacts = {customer.usual_contact_id for customer in customers}
        first = customers[0]
        if len(contacts) == 1 and agent_reachable(first.usual_contact, at):
            agent = first.usual_contact
            return Route(
                RouteTarget.USUAL_CONTACT, extension=agent.phone_extension, agent=agent, shared=True
            )
        agencies = {customer.home_agency_id for customer in customers}
        agency = first.home_agency if len(agencies) == 1 else None
        return _agency_route(agency, at, shared=True)
    customer = customers[0]
    agent = customer.usual_contact
    if agent_reachable(agent, at):
        return Route(
            RouteTarget.USUAL_CONTACT,
            extension=agent.phone_extension,
            customer=customer,
            agent=agent,
        )
    agency = customer.home_agency or (agent.agency if agent else None)
    return _agency_route(agency, at, customer=customer)


def call_routed(*, call_id: str, caller: str, route: Route, at: datetime.datetime) -> Call:
    """The phone system gave its call id with the routing question: the call is known
    from its first second, with where it was sent."""
    call, _created = Call.objects.get_or_create(
        call_id=call_id,
        defaults={
            "caller_number": caller[:40],
            "caller_e164": phone_try_normalize(caller) or "" if caller else "",
            "customer": route.customer,
            "routed_to": route.target,
            "routed_agent": route.agent,
            "state": CallState.RINGING,
            "started_at": at,
        },
    )
    return call


def _agent_at(extension: str) -> Agent | None:
    if not extension:
        return None
    return (
        Agent.objects.select_related("user", "agency")
        .filter(phone_extension=extension, user__is_active=True)
        .order_by("pk")
        .first()
    )


def _customer_of(caller: str) -> tuple[str, Customer | None]:
    e164 = phone_try_normalize(caller) if caller else None
    customers = _callers(e164) if e164 else []
    return e164 or "", customers[0] if len(customers) == 1 else None


def _pop(call: Call, event: str) -> None:
    if call.agent_id is None:
        return
    data = {
        "call": call.pk,
        "caller": call.caller_number,
        "customer": call.customer_id,
        "name": call.customer.salutation if call.customer else "",
    }
    # after the commit: the page then asks for the call's card, which must exist
    transaction.on_commit(lambda: live.publish(agent_ids=[call.agent_id], event=event, data=data))


TERMINAL = {CallState.ENDED, CallState.MISSED}


def call_event_record(
    *,
    call_id: str,
    kind: str,
    caller: str = "",
    extension: str = "",
    at: datetime.datetime | None = None,
) -> tuple[Call, bool]:
    """Record one event of the phone system; (the call, whether the event was new). The
    same event posted twice changes nothing; an event arriving after the call ended
    (a late "ringing") is kept in the log and changes no state."""
    if kind not in CallEventKind.values:
        raise DomainError(
            "invalid_choice", _("Événement inconnu : « %(kind)s ».") % {"kind": kind}, field="event"
        )
    if not call_id.strip():
        raise DomainError("required", _("L'identifiant de l'appel est obligatoire."), "call_id")
    at = at or timezone.now()
    with transaction.atomic():
        e164, customer = _customer_of(caller)
        call, _created = Call.objects.select_for_update().get_or_create(
            call_id=call_id,
            defaults={
                "caller_number": caller[:40],
                "caller_e164": e164,
                "customer": customer,
                "state": CallState.RINGING,
                "started_at": at,
            },
        )
        _event, new = CallEvent.objects.get_or_create(
            call=call, kind=kind, at=at, extension=extension[:10]
        )
        if not new or call.state in TERMINAL:
            return call, new
        agent = _agent_at(extension)
        if kind in (CallEventKind.RINGING, CallEventKind.TRANSFERRED):
            call.extension, call.agent = extension[:10], agent
            if kind == CallEventKind.TRANSFERRED:
                call.state = CallState.TRANSFERRED
            call.save(update_fields=["extension", "agent", "state"])
            _pop(call, "call.ringing")
        elif kind == CallEventKind.ANSWERED:
            call.state, call.answered_at = CallState.ANSWERED, at
            if agent is not None:
                call.extension, call.agent = extension[:10], agent
            call.save(update_fields=["state", "answered_at", "extension", "agent"])
            _pop(call, "call.answered")
        elif kind == CallEventKind.HUNG_UP and call.answered_at is not None:
            call.state, call.ended_at = CallState.ENDED, at
            call.save(update_fields=["state", "ended_at"])
            _pop(call, "call.ended")
        else:  # missed, or hung up before anyone answered
            call.state, call.ended_at = CallState.MISSED, at
            call.save(update_fields=["state", "ended_at"])
            _callback(call)
            _pop(call, "call.missed")
    return call, new


def _callback(call: Call) -> None:
    """A missed call from a customer whose usual contact it was for (routed to them, or
    ringing on their extension) becomes a request to call back in that contact's queue,
    with the phone channel's deadline."""
    customer = call.customer
    if customer is None or customer.usual_contact_id is None or call.callback_id:
        return
    contact = customer.usual_contact
    if call.routed_agent_id != contact.pk and call.agent_id != contact.pk:
        return
    touchpoint = touchpoint_log(
        agent=None,
        agency=contact.agency,
        channel="phone",
        reason=Reason.objects.get(code=CALLBACK_REASON),
        summary=_("Appel manqué de %(name)s le %(moment)s : à rappeler.")
        % {
            "name": customer.salutation,
            "moment": timezone.localtime(call.ended_at).strftime("%d/%m/%Y %H:%M"),
        },
        customer=customer,
        direction=Direction.INBOUND,
        occurred_at=call.ended_at,
        open_request=True,
    )
    call.callback_id = touchpoint.request_id
    call.save(update_fields=["callback"])


def call_exchange_log(*, call: Call, agent: Agent, **fields) -> Touchpoint:
    """The exchange of a call, noted by the agent who took it (the screen pop's form):
    logged by touchpoint_log like any exchange with the call's customer, and the call
    keeps its link to it. `fields`: touchpoint_log's (channel, direction, reason, summary,
    outcome, mood, occurred_at, open_request, extra); the moment defaults to the answer's.
    A call is noted once."""
    with transaction.atomic():
        call = (
            Call.objects.select_for_update(of=("self",)).select_related("customer").get(pk=call.pk)
        )
        if call.agent_id != agent.pk:
            raise DomainError("not_yours", _("Cet appel a été pris par quelqu'un d'autre."))
        if call.touchpoint_id is not None:
            raise DomainError("already_logged", _("Cet appel est déjà noté."))
        if call.customer is None:
            raise DomainError(
                "customer_required",
                _("Cet appel n'est rattaché à aucune fiche : ouvrez ou créez la fiche du client."),
            )
        fields["occurred_at"] = fields.get("occurred_at") or call.answered_at or call.started_at
        touchpoint = touchpoint_log(agent=agent, customer=call.customer, **fields)
        call.touchpoint = touchpoint
        call.save(update_fields=["touchpoint"])
    return touchpoint
