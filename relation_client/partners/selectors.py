"""Reads about partners that join the customers' requests: what partner staff may see
(the requests escalated to them), a partner's month against its commitments."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from agences.models import CommitmentParty, Partner, PartnerCommitment, PartnerComplianceMonth
from agences.months import next_month, paris_month_bounds
from relation_client.customers.models import ContactKind, ContactPoint
from relation_client.touchpoints.models import (
    OPEN_STATUSES,
    Direction,
    Request,
    Touchpoint,
    TouchpointKind,
)


def escalated_requests(*, partner_id: int) -> QuerySet[Request]:
    """Every request escalated to the partner — the only requests partner staff may see:
    open ones first, by deadline, then the answered and closed ones, newest first."""
    still_open = Case(
        When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Request.objects.filter(partner_id=partner_id, escalated_at__isnull=False)
        .select_related("customer__segment", "reason", "agency")
        .annotate(closed_rank=still_open)
        .order_by("closed_rank", "deadline", "-escalated_at", "id")
    )


def escalated_request_for_partner(*, partner_id: int, pk: int) -> Request | None:
    """One request escalated to the partner, with what the partner needs to read: the
    escalation notes and the partner's own answers — not the customer's whole timeline.
    Another partner's request, or one never escalated, is None."""
    notes = (
        Touchpoint.objects.filter(
            Q(kind=TouchpointKind.ESCALATION) | Q(agent__isnull=True, direction=Direction.OUTBOUND)
        )
        .select_related("agent")
        .order_by("occurred_at", "id")
    )
    return (
        escalated_requests(partner_id=partner_id)
        .filter(pk=pk)
        .prefetch_related(Prefetch("touchpoints", queryset=notes, to_attr="partner_notes"))
        .first()
    )


def callback_contact(*, customer_id: int | None) -> ContactPoint | None:
    """The one contact point a partner gets to call the customer back: a phone first (the
    quickest callback), else an e-mail; the most recently given of that kind. One query.
    No marketing consent is involved: calling back about the customer's own request is
    the service they asked for."""
    if customer_id is None:
        return None
    phone_first = Case(
        When(kind=ContactKind.PHONE, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        ContactPoint.objects.filter(customer_id=customer_id)
        .order_by(phone_first, "-created_at", "-id")
        .first()
    )


def handover_is_complete(request: Request) -> bool:
    """The operator's commitment when it hands a request over: the partner gets the
    customer's name, one contact point to call back, and the subject of the request."""
    customer = request.customer
    return bool(
        customer is not None
        and customer.salutation.strip()
        and (request.subject or "").strip()
        and callback_contact(customer_id=customer.pk) is not None
    )


@dataclass
class CommitmentMonth:
    commitment: PartnerCommitment
    snapshot: PartnerComplianceMonth | None


@dataclass
class PartnerMonth:
    partner: Partner
    month: datetime.date
    commitments: list[CommitmentMonth]
    requests: list[Request]
    computed_at: datetime.datetime | None

    @property
    def partner_side(self) -> list[CommitmentMonth]:
        return [r for r in self.commitments if r.commitment.party == CommitmentParty.PARTNER]

    @property
    def operator_side(self) -> list[CommitmentMonth]:
        return [r for r in self.commitments if r.commitment.party == CommitmentParty.OPERATOR]

    @property
    def sides(self) -> list[dict]:
        """Both parties' commitments, side by side on the pages."""
        return [
            {
                "key": "partenaire",
                "title": _("Engagements du partenaire"),
                "rows": self.partner_side,
            },
            {
                "key": "exploitant",
                "title": _("Engagements de l'exploitant"),
                "rows": self.operator_side,
            },
        ]


def partner_month(
    *, partner: Partner, month: datetime.date, with_requests: bool = True
) -> PartnerMonth:
    """A partner's commitments in force during a Paris month — both parties' — with their
    compliance snapshot, and the requests escalated that month with their delay. Three
    queries; two without the requests (the partner space)."""
    following = next_month(month)
    commitments = list(
        partner.commitments.filter(starts_on__lt=following)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=month))
        .order_by("party", "title")
    )
    snapshots = {
        s.commitment_id: s
        for s in PartnerComplianceMonth.objects.filter(partner=partner, month=month)
    }
    rows = [CommitmentMonth(c, snapshots.get(c.pk)) for c in commitments]
    computed = [s.computed_at for s in snapshots.values()]
    latest = max(computed) if computed else None
    if not with_requests:
        return PartnerMonth(partner, month, rows, [], latest)
    start, end = paris_month_bounds(month)
    delay = ExpressionWrapper(
        Coalesce("answered_at", "closed_at") - F("escalated_at"), output_field=DurationField()
    )
    requests = list(
        Request.objects.filter(partner=partner, escalated_at__gte=start, escalated_at__lt=end)
        .select_related("agency")
        .annotate(delay=delay)
        .order_by("escalated_at", "id")
    )
    for req in requests:
        # elapsed hours, as the commitments count them
        req.delay_hours = (
            Decimal(req.delay.total_seconds() / 3600).quantize(Decimal("0.1"))
            if req.delay is not None
            else None
        )
    return PartnerMonth(partner, month, rows, requests, latest)


@dataclass
class PartnerOverview:
    partner: Partner
    snapshots: list[PartnerComplianceMonth] = field(default_factory=list)


def partners_overview(*, month: datetime.date) -> list[PartnerOverview]:
    """Every partner with the month's compliance snapshot rows: two queries."""
    snapshots = PartnerComplianceMonth.objects.filter(month=month).select_related("commitment")
    partners = Partner.objects.order_by("name").prefetch_related(
        Prefetch("compliance", queryset=snapshots, to_attr="month_snapshots")
    )
    return [PartnerOverview(p, p.month_snapshots) for p in partners]
