"""Writes about partners that read the customers' requests: the monthly compliance
snapshot of their commitments, and their staff's answers to escalated requests."""

import datetime
from dataclasses import asdict, dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import (
    CommitmentMeasure,
    PartnerCommitment,
    PartnerComplianceMonth,
    PartnerMember,
)
from agences.months import month_start, next_month, paris_month_bounds
from relation_client.touchpoints.deadlines import add_working_time
from relation_client.touchpoints.models import (
    OPEN_STATUSES,
    Direction,
    Outcome,
    Request,
    RequestStatus,
    Touchpoint,
    TouchpointKind,
)
from socle.errors import DomainError

# --- Partner compliance -----------------------------------------------------------------

# One INSERT … SELECT … ON CONFLICT per measure: each measured commitment in force in the
# month, against the requests the measure counts (`requests`, a subquery giving r.id and
# r.partner_id); the measure says which of them are on time, late or pending.
_UPSERT = """
INSERT INTO {snapshot} (commitment_id, partner_id, month, max_hours, target_percent,
                        escalated, on_time, late, pending, median_hours, computed_at)
SELECT c.id, c.partner_id, %(month)s, {max_hours}, c.target_percent,
       COUNT(r.id),
       COUNT(r.id) FILTER (WHERE {on_time}),
       COUNT(r.id) FILTER (WHERE {late}),
       COUNT(r.id) FILTER (WHERE {pending}),
       {median_hours},
       %(now)s
  FROM {commitment} c
  LEFT JOIN ({requests}) r ON r.partner_id = c.partner_id
 WHERE c.measure = %(measure)s
   AND c.starts_on < %(next_month)s
   AND (c.ends_on IS NULL OR c.ends_on >= %(month)s)
 GROUP BY c.id
ON CONFLICT (commitment_id, month) DO UPDATE SET
       partner_id = EXCLUDED.partner_id,
       max_hours = EXCLUDED.max_hours,
       target_percent = EXCLUDED.target_percent,
       escalated = EXCLUDED.escalated,
       on_time = EXCLUDED.on_time,
       late = EXCLUDED.late,
       pending = EXCLUDED.pending,
       median_hours = EXCLUDED.median_hours,
       computed_at = EXCLUDED.computed_at
"""


@dataclass(frozen=True)
class _Measure:
    """What one measure puts in _UPSERT: `measure` (the commitments' measure), the
    requests it counts (SQL with {request}/{touchpoint} table placeholders), the
    conditions on them for on time, late and pending, the delay and the median kept."""

    measure: str
    requests: str
    on_time: str
    late: str
    pending: str
    max_hours: str = "c.max_hours"
    median_hours: str = "NULL"

    def sql(self, tables: dict[str, str]) -> str:
        """The statement, table names filled in (month, now and measure are parameters)."""
        parts = asdict(self) | {"requests": self.requests.format(**tables)}
        return _UPSERT.format(**tables, **parts)


def _against(due: str) -> dict[str, str]:
    """A measure with a due time `due` (SQL): on time if done by it, late if done after it
    or still not done past it, pending if not done and not yet due."""
    return {
        "on_time": f"r.done_at <= {due}",
        "late": f"COALESCE(r.done_at, %(now)s) > {due}",
        "pending": f"r.done_at IS NULL AND %(now)s <= {due}",
    }


_MEASURES = (
    # The partner's answer delay: the requests escalated in the month. A request counts as
    # settled when answered (or closed) — on time if that came within the commitment's
    # delay after the escalation — or when still unanswered past the delay (late).
    # Unanswered requests still within the delay are pending. Delays are elapsed hours.
    _Measure(
        measure=CommitmentMeasure.ANSWER_DELAY.value,
        requests="""
        SELECT id, partner_id, escalated_at, COALESCE(answered_at, closed_at) AS done_at
          FROM {request}
         WHERE partner_id IS NOT NULL
           AND escalated_at >= %(start)s AND escalated_at < %(end)s""",
        **_against("r.escalated_at + c.max_hours * interval '1 hour'"),
        median_hours="""round((percentile_cont(0.5) WITHIN GROUP (
                  ORDER BY EXTRACT(EPOCH FROM r.done_at - r.escalated_at) / 3600)
              FILTER (WHERE r.done_at IS NOT NULL))::numeric, 1)""",
    ),
    # The operator's side (issue #20). A complete hand-over: the requests escalated in the
    # month whose hand-over was checked (handover_complete stamped by request_escalate;
    # older ones are left out rather than counted against anyone); on_time counts the
    # complete ones, late the incomplete ones, none pending. No delay: max_hours is 0.
    _Measure(
        measure=CommitmentMeasure.HANDOVER_FULL.value,
        requests="""
        SELECT id, partner_id, handover_complete
          FROM {request}
         WHERE partner_id IS NOT NULL AND handover_complete IS NOT NULL
           AND escalated_at >= %(start)s AND escalated_at < %(end)s""",
        on_time="r.handover_complete",
        late="NOT r.handover_complete",
        pending="FALSE",
        max_hours="0",
    ),
    # The operator's follow-up of the partner's return: the partner's answers of the month
    # (partner_return_due_at stamped by partner_request_answer, in the agency's working
    # hours). The agency follows up when it closes the request or an agent logs a contact
    # on it after the return, whichever comes first; on time if by the due time, late if
    # after it or still missing past it, pending if missing but not yet due.
    _Measure(
        measure=CommitmentMeasure.OPERATOR_REPLY.value,
        requests="""
        SELECT q.id, q.partner_id, q.partner_return_due_at AS due_at,
               LEAST(q.closed_at,
                     (SELECT MIN(t.occurred_at) FROM {touchpoint} t
                       WHERE t.request_id = q.id AND t.agent_id IS NOT NULL
                         AND t.occurred_at >= q.answered_at)) AS done_at
          FROM {request} q
         WHERE q.partner_id IS NOT NULL AND q.partner_return_due_at IS NOT NULL
           AND q.answered_at >= %(start)s AND q.answered_at < %(end)s""",
        **_against("r.due_at"),
    ),
)

# a commitment no longer measured or no longer in force that month leaves no row behind
_COMPLIANCE_PRUNE = """
DELETE FROM {snapshot} s
 WHERE s.month = %(month)s
   AND NOT EXISTS (
        SELECT 1 FROM {commitment} c
         WHERE c.id = s.commitment_id AND c.measure <> %(none)s
           AND c.starts_on < %(next_month)s
           AND (c.ends_on IS NULL OR c.ends_on >= %(month)s))
"""


def partner_compliance_compute(
    *, month: datetime.date, now: datetime.datetime | None = None
) -> int:
    """Replace the compliance snapshot of one Paris month for every partner: one
    INSERT … SELECT … ON CONFLICT per measure (the partner's answer delay, the operator's
    complete hand-over and follow-up of the partner's return), each over the month's
    requests. Idempotent. Returns the number of snapshot rows written."""
    month = month_start(month)
    start, end = paris_month_bounds(month)
    params = {
        "month": month,
        "next_month": next_month(month),
        "start": start,
        "end": end,
        "now": now or timezone.now(),
        "none": CommitmentMeasure.NONE.value,
    }
    tables = {
        "snapshot": PartnerComplianceMonth._meta.db_table,
        "commitment": PartnerCommitment._meta.db_table,
        "request": Request._meta.db_table,
        "touchpoint": Touchpoint._meta.db_table,
    }
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for measure in _MEASURES:
            cursor.execute(measure.sql(tables), {**params, "measure": measure.measure})
            written += cursor.rowcount
        cursor.execute(_COMPLIANCE_PRUNE.format(**tables), params)
    return written


def _operator_reply_due(request: Request, now: datetime.datetime) -> datetime.datetime | None:
    today = timezone.localdate(now)
    commitment = (
        PartnerCommitment.objects.filter(
            partner_id=request.partner_id,
            measure=CommitmentMeasure.OPERATOR_REPLY,
            starts_on__lte=today,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("max_hours")
        .first()
    )
    if commitment is None:
        return None
    return add_working_time(request.agency, now, commitment.max_hours * 60)


def partner_request_answer(*, request: Request, member: PartnerMember, note: str) -> Request:
    """A partner's person answers a request escalated to their partner: the answer goes on
    the customer's timeline (no agent: it is the partner speaking) and the request is
    answered, which stops the partner's clock."""
    note = (note or "").strip()
    if not note:
        raise DomainError("required", _("Rédigez la réponse apportée."), field="note")
    with transaction.atomic():
        # lock: the agency may answer or close the same request meanwhile
        locked = Request.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if locked.partner_id != member.partner_id:
            raise DomainError(
                "forbidden", _("Cette demande n'a pas été transmise à votre organisme.")
            )
        if locked.status not in OPEN_STATUSES:
            raise DomainError(
                "not_open",
                _("Cette demande a déjà reçu une réponse ou est clôturée."),
                field="status",
            )
        now = timezone.now()
        Touchpoint.objects.create(
            kind=TouchpointKind.INTERACTION,
            customer_id=locked.customer_id,
            channel=locked.channel,
            direction=Direction.OUTBOUND,
            reason_id=locked.reason_id,
            summary=_("Réponse de %(partner)s (%(person)s) : %(note)s")
            % {"partner": member.partner.name, "person": member.full_name, "note": note},
            agent=None,
            agency_id=locked.agency_id,
            occurred_at=now,
            outcome=Outcome.ANSWERED,
            request=locked,
        )
        locked.status = RequestStatus.ANSWERED
        locked.answered_at = now
        # the operator's commitment, if the convention has one: follow the return up
        # within N of the agency's working hours (fixed now, like a request's deadline)
        locked.partner_return_due_at = _operator_reply_due(locked, now)
        locked.save(update_fields=["status", "answered_at", "partner_return_due_at"])
    return locked
