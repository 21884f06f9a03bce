"""A request's lifecycle: open → waiting for the customer → answered → closed, escalation.

While it waits for the customer its deadline's clock stands still (deadlines.py, "the
paused clock"): it pauses in request_wait_customer and runs again when the customer
comes back (touchpoint_log, request_attach_touchpoint) or staff take it back
(request_resume).

Two agents may act on the same request at once (the queue is shared by the whole
agency): every transition locks the row and checks the status it read under the lock.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agences import roles
from agences.models import Agency, Agent, Partner
from relation_client.partners.selectors import handover_is_complete
from relation_client.touchpoints.deadlines import (
    CLOCK_FIELDS,
    clock_pause,
    clock_resume,
    deadline_for,
)
from relation_client.touchpoints.models import (
    OPEN_STATUSES,
    AlertKind,
    Direction,
    Outcome,
    Request,
    RequestStatus,
    Touchpoint,
    TouchpointKind,
)
from relation_client.touchpoints.services.alerts import alert_raise
from relation_client.touchpoints.services.touchpoints import touchpoint_log
from socle.errors import DomainError


def _locked(request: Request) -> Request:
    return (
        Request.objects.select_for_update(of=("self",))
        .select_related("agency", "customer")
        .get(pk=request.pk)
    )


def _refuse(code: str, message: str) -> DomainError:
    return DomainError(code, message, field="status")


def _check_agency(request: Request, by: Agent) -> None:
    # the assignee works their request whatever their agency (selectors.requests_workable)
    if by.agency_id != request.agency_id and by.pk != request.assignee_id:
        raise DomainError("forbidden", _("Cette demande est suivie par une autre agence."))


def request_ensure_workable(*, request: Request, by: Agent) -> None:
    """Refuse an agent who may not act on the request (another agency's, not assigned to
    them): the rule of every transition, for the services of other apps acting on a request
    (the answer by e-mail) before they lock it."""
    _check_agency(request, by)


def request_answer(*, request: Request, by: Agent, note: str = "") -> Request:
    """The customer got their answer. A note, when given, goes on the timeline as the
    outbound answer attached to the request."""
    return request_answer_logged(request=request, by=by, note=note)[0]


def request_answer_logged(
    *, request: Request, by: Agent, note: str = "", channel: str | None = None
) -> tuple[Request, Touchpoint | None]:
    """request_answer, with the outbound touchpoint it logged (None without a note).
    `channel`: how the answer went, when not the request's own channel (a request from
    the web form answered by e-mail gets an e-mail touchpoint)."""
    touchpoint = None
    with transaction.atomic():
        locked = _locked(request)
        _check_agency(locked, by)
        if locked.status == RequestStatus.ANSWERED:
            raise _refuse("already_answered", _("Cette demande a déjà reçu une réponse."))
        if locked.status == RequestStatus.CLOSED:
            raise _refuse("closed", _("Cette demande est clôturée : rouvrez-la avant de répondre."))
        if note.strip():
            touchpoint = touchpoint_log(
                agent=by,
                customer=locked.customer,
                channel=channel or locked.channel,
                reason=locked.reason,
                summary=note,
                direction=Direction.OUTBOUND,
                outcome=Outcome.ANSWERED,
                request=locked,
            )
        locked.status = RequestStatus.ANSWERED
        locked.answered_at = timezone.now()
        locked.paused_at = locked.remaining_at_pause = None
        locked.save(update_fields=["status", "answered_at", "paused_at", "remaining_at_pause"])
    return locked, touchpoint


def request_wait_customer(*, request: Request, by: Agent) -> Request:
    """We need something from the customer: the request waits for them and its clock
    stands still (their next inbound touchpoint on it makes it ours again and the
    deadline moves by the working time it waited, see touchpoint_log)."""
    with transaction.atomic():
        locked = _locked(request)
        _check_agency(locked, by)
        if locked.status == RequestStatus.WAITING_CUSTOMER:
            raise _refuse("already_waiting", _("Cette demande attend déjà le client."))
        if locked.status != RequestStatus.OPEN:
            raise _refuse(
                "not_open",
                _("Seule une demande ouverte peut être mise en attente du client."),
            )
        clock_pause(locked, timezone.now())
        locked.save(update_fields=CLOCK_FIELDS)
    return locked


def request_resume(*, request: Request, by: Agent) -> Request:
    """Staff take a waiting request back (the customer answered by a way not logged on
    it): its clock runs again and the deadline moves by the working time it waited."""
    with transaction.atomic():
        locked = _locked(request)
        _check_agency(locked, by)
        if locked.status != RequestStatus.WAITING_CUSTOMER:
            raise _refuse("not_waiting", _("Cette demande n'attend pas le client."))
        clock_resume(locked, timezone.now())
        locked.save(update_fields=CLOCK_FIELDS)
    return locked


def request_close(*, request: Request, by: Agent) -> Request:
    with transaction.atomic():
        locked = _locked(request)
        _check_agency(locked, by)
        if locked.status == RequestStatus.CLOSED:
            raise _refuse("already_closed", _("Cette demande est déjà clôturée."))
        locked.status = RequestStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.paused_at = locked.remaining_at_pause = None
        locked.save(update_fields=["status", "closed_at", "paused_at", "remaining_at_pause"])
    return locked


def request_reopen(*, request: Request, by: Agent | None) -> Request:
    """The customer comes back on an answered or closed request: it gets a fresh
    deadline for its channel, counted from now, and may breach again. `by` is None when
    the customer's own message reopens it (a reply by mail)."""
    with transaction.atomic():
        locked = _locked(request)
        if by is not None:
            _check_agency(locked, by)
        if locked.status in OPEN_STATUSES:
            raise _refuse("already_open", _("Cette demande est déjà ouverte."))
        now = timezone.now()
        locked.status = RequestStatus.OPEN
        locked.answered_at = None
        locked.closed_at = None
        locked.breached_at = None
        customer = locked.customer
        locked.deadline = deadline_for(
            agency=locked.agency,
            channel=locked.channel,
            start=now,
            segment=customer.segment if customer and customer.segment_id else None,
        )
        locked.save(update_fields=["status", "answered_at", "closed_at", "breached_at", "deadline"])
    return locked


def request_attach_touchpoint(*, request: Request, touchpoint: Touchpoint, by: Agent) -> Touchpoint:
    """Attach an earlier touchpoint of the same customer to the request."""
    with transaction.atomic():
        locked = _locked(request)
        _check_agency(locked, by)
        # lock: the touchpoint could be attached elsewhere by a colleague meanwhile
        touchpoint = Touchpoint.objects.select_for_update().get(pk=touchpoint.pk)
        if locked.customer_id is None or touchpoint.customer_id != locked.customer_id:
            raise DomainError(
                "request_mismatch",
                _("Ce contact concerne une autre personne que la demande."),
                field="touchpoint",
            )
        if touchpoint.request_id == locked.pk:
            raise DomainError(
                "already_attached",
                _("Ce contact est déjà rattaché à cette demande."),
                field="touchpoint",
            )
        if touchpoint.request_id is not None:
            raise DomainError(
                "attached_elsewhere",
                _("Ce contact est déjà rattaché à une autre demande."),
                field="touchpoint",
            )
        touchpoint.request = locked
        touchpoint.save(update_fields=["request"])
        if (
            locked.status == RequestStatus.WAITING_CUSTOMER
            and touchpoint.direction == Direction.INBOUND
            and touchpoint.occurred_at >= locked.opened_at
        ):
            # the customer already brought what was missing: the clock runs from then
            clock_resume(locked, min(touchpoint.occurred_at, timezone.now()))
            locked.save(update_fields=CLOCK_FIELDS)
    return touchpoint


def request_escalate(*, request: Request, partner: Partner, note: str, by: Agent) -> Touchpoint:
    """Hand the request to a partner (external specialist). It stays in the agency's
    queue until answered, and the hand-over is on the customer's timeline."""
    note = (note or "").strip()
    if not note:
        raise DomainError(
            "required", _("Expliquez au partenaire ce qui est attendu."), field="note"
        )
    with transaction.atomic():
        locked = _locked(request)
        _check_agency(locked, by)
        if locked.status not in OPEN_STATUSES:
            raise _refuse(
                "not_open", _("Seule une demande en cours peut être transmise à un partenaire.")
            )
        if locked.partner_id == partner.pk:
            raise DomainError(
                "already_escalated",
                _("Cette demande est déjà transmise à %(partner)s.") % {"partner": partner.name},
                field="partner",
            )
        now = timezone.now()
        locked.partner = partner
        locked.escalated_at = now
        # the operator's commitment: was what the partner needs to call back handed over
        locked.handover_complete = handover_is_complete(locked)
        locked.save(update_fields=["partner", "escalated_at", "handover_complete"])
        touchpoint = Touchpoint.objects.create(
            kind=TouchpointKind.ESCALATION,
            customer=locked.customer,
            channel=locked.channel,
            direction=Direction.OUTBOUND,
            reason=locked.reason,
            summary=_("Transmise à %(partner)s : %(note)s")
            % {"partner": partner.name, "note": note},
            agent=by,
            agency_id=locked.agency_id,
            occurred_at=now,
            outcome=Outcome.ESCALATED,
            request=locked,
        )
    return touchpoint


# supervisors and up share out their agency's work
REASSIGNING_ROLES = {roles.SUPERVISOR, roles.MANAGER, roles.NETWORK_DIRECTOR, roles.ADMINISTRATOR}


def may_reassign(agent: Agent) -> bool:
    # role_names comes with the agent of a page (agences.selectors.agent_for_user)
    names = getattr(agent, "role_names", None)
    if names is None:
        names = agent.user.groups.values_list("name", flat=True)
    return bool(REASSIGNING_ROLES.intersection(names))


def request_reassign(
    *, request: Request, by: Agent, assignee: Agent | None = None, agency: Agency | None = None
) -> Touchpoint:
    """A supervisor hands an open request to a person (of any agency: it stays in its
    agency's queue) or to an agency's queue (nobody in particular). The change goes on
    the timeline; a person it is handed to is alerted."""
    if not may_reassign(by):
        raise DomainError("forbidden", _("Seul un superviseur peut réattribuer une demande."))
    if (assignee is None) == (agency is None):
        raise DomainError(
            "required",
            _("Choisissez une personne ou la file d'une agence, pas les deux."),
            field="assignee",
        )
    if assignee is not None and not assignee.user.is_active:
        raise DomainError(
            "inactive", _("Cette personne n'a plus accès à l'application."), field="assignee"
        )
    with transaction.atomic():
        # lock: the assignee may answer, or a colleague reassign, at the same moment
        locked = _locked(request)
        _check_agency(locked, by)
        if locked.status not in OPEN_STATUSES:
            raise _refuse("not_open", _("Seule une demande en cours peut être réattribuée."))
        if assignee is not None:
            if assignee.pk == locked.assignee_id:
                raise DomainError(
                    "already_assigned",
                    _("Cette demande est déjà attribuée à %(name)s.")
                    % {"name": assignee.display_name},
                    field="assignee",
                )
            locked.assignee = assignee
            summary = _("Demande réattribuée à %(name)s (%(agency)s).") % {
                "name": assignee.display_name,
                "agency": assignee.agency.name,
            }
        else:
            if locked.assignee_id is None and locked.agency_id == agency.pk:
                raise DomainError(
                    "already_assigned",
                    _("Cette demande est déjà dans la file de %(agency)s.")
                    % {"agency": agency.name},
                    field="agency",
                )
            locked.assignee = None
            locked.agency = agency
            summary = _("Demande réattribuée à la file de l'agence %(agency)s.") % {
                "agency": agency.name
            }
        locked.save(update_fields=["assignee", "agency"])
        touchpoint = Touchpoint.objects.create(
            kind=TouchpointKind.HANDOVER,
            customer=locked.customer,
            channel=locked.channel,
            direction=Direction.OUTBOUND,
            reason=locked.reason,
            summary=summary,
            agent=by,
            agency_id=by.agency_id,
            occurred_at=timezone.now(),
            request=locked,
        )
        if assignee is not None and assignee.pk != by.pk:
            alert_raise(
                kind=AlertKind.HANDOVER,
                recipient=assignee,
                customer=locked.customer,
                request=locked,
                cause=f"reassign:touchpoint:{touchpoint.pk}",
                code="handover.request",
                params={"by": by.display_name, "subject": locked.subject[:200]},
            )
    return touchpoint


# --- Several requests at once, from the queue ----------------------------------------------

BULK_REASSIGN, BULK_CLOSE, BULK_WAIT = "reattribuer", "cloturer", "attente"
BULK_MAX = 100


@dataclass(frozen=True)
class BulkRefusal:
    """One request of a batch that refused the action, and why."""

    pk: int
    subject: str
    message: str

    @property
    def reference(self) -> str:
        return f"RC-{self.pk:06d}"


class BulkRefused(DomainError):
    """A batch refused: nothing was done. `refusals` names each request that refused."""

    def __init__(self, refusals: list[BulkRefusal], total: int):
        self.refusals = refusals
        self.total = total
        message = ngettext(
            "Rien n'a été fait : %(count)s demande sur %(total)s refuse cette action.",
            "Rien n'a été fait : %(count)s demandes sur %(total)s refusent cette action.",
            len(refusals),
        ) % {"count": len(refusals), "total": total}
        super().__init__("batch_refused", message, field="demandes")


def requests_bulk(
    *, request_ids: list[int], action: str, by: Agent, assignee: Agent | None = None
) -> list[Request]:
    """One action on several requests the agent may work (their agency's, or assigned to
    them): hand them to `assignee` (request_reassign), close them (request_close) or have
    them wait for the customer (request_wait_customer). All or nothing: each request goes
    through the action's own service and its rules, in one transaction; if any refuses,
    none changes and BulkRefused lists every refusal with its reason. Rows are locked in
    the order of their numbers, so that two batches never wait on each other in a circle."""
    if action == BULK_REASSIGN:
        if not may_reassign(by):
            raise DomainError("forbidden", _("Seul un superviseur peut réattribuer une demande."))

        def run(request: Request) -> None:
            request_reassign(request=request, by=by, assignee=assignee)

    elif action == BULK_CLOSE:

        def run(request: Request) -> None:
            request_close(request=request, by=by)

    elif action == BULK_WAIT:

        def run(request: Request) -> None:
            request_wait_customer(request=request, by=by)

    else:
        raise DomainError("invalid_choice", _("Action inconnue."), field="action")
    ids = sorted(set(request_ids))
    if not ids:
        raise DomainError("required", _("Cochez au moins une demande."), field="demandes")
    found = Request.objects.filter(Q(agency_id=by.agency_id) | Q(assignee=by), pk__in=ids).in_bulk()
    done, refusals = [], []
    with transaction.atomic():
        for pk in ids:
            request = found.get(pk)
            if request is None:
                refusals.append(
                    BulkRefusal(
                        pk,
                        "",
                        _("Aucune demande de votre agence ou à votre nom ne porte ce numéro."),
                    )
                )
                continue
            try:
                run(request)
            except DomainError as error:
                refusals.append(BulkRefusal(pk, request.subject, str(error.message)))
            else:
                done.append(request)
        if refusals:
            # leaving the block by an exception rolls back what the others did
            raise BulkRefused(refusals, total=len(ids))
    return done
