"""The customers behind a figure: live tables, one page at a time."""

import datetime

from django.db.models import (
    Case,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy

from reconquete.models import (
    REACHED_OUTCOMES,
    CampaignTarget,
    CaseStatus,
    ReconquestCase,
    RidershipMonth,
    SnapshotDimension,
)
from reconquete.selectors.dashboard import add_months
from reconquete.selectors.settings import settings_effective
from relation_client.customers.models import Customer

DRILL_KINDS = {
    "lost": gettext_lazy("Clients perdus"),
    "targeted": gettext_lazy("Clients ciblés"),
    "contacted": gettext_lazy("Clients contactés"),
    "reached": gettext_lazy("Clients joints"),
    "accepted": gettext_lazy("Offres acceptées"),
    "won_back": gettext_lazy("Clients reconquis"),
    "won_back_30": gettext_lazy("Reconquis sous 30 jours"),
    "won_back_90": gettext_lazy("Reconquis sous 90 jours"),
    "recovery": gettext_lazy("Fréquentation par rapport à la référence"),
    "new_customers": gettext_lazy("Nouveaux clients"),
}


def _paris_bounds(
    period_from: datetime.date, period_to: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    def midnight(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))

    return midnight(period_from), midnight(add_months(period_to, 1))


def _paris_day(name: str) -> TruncDate:
    return TruncDate(name, tzinfo=timezone.get_default_timezone())


def _within(days: int) -> Q:
    """`end_day` at most `days` Paris calendar days after `start_day` (the snapshot's
    rule); both are annotated by the caller."""
    return Q(
        **{
            "end_day__lte": ExpressionWrapper(
                F("start_day") + datetime.timedelta(days=days), output_field=DateField()
            )
        }
    )


def drilldown_cases(
    *,
    kind: str,
    period_from: datetime.date,
    period_to: datetime.date,
    agency_id: int | None,
    dimension: str,
    key: str,
) -> QuerySet[ReconquestCase]:
    """The cases behind a case figure of the snapshots of these months, newest first."""
    start, end = _paris_bounds(period_from, period_to)
    cases = ReconquestCase.objects.select_related("customer", "agency", "attributed_campaign")
    if agency_id:
        cases = cases.filter(agency_id=agency_id)
    if dimension == SnapshotDimension.SEGMENT:
        cases = cases.filter(segment_id=int(key)) if key else cases.filter(segment__isnull=True)
    won = Q(status=CaseStatus.WON_BACK)
    contact_filter = Q()
    if dimension == SnapshotDimension.CAMPAIGN:
        won &= Q(attributed_campaign_id=int(key))
        contact_filter = Q(contacts__campaign_id=int(key))
    elif dimension == SnapshotDimension.CHANNEL:
        won &= Q(attributed_touchpoint__channel=key)
        contact_filter = Q(contacts__channel=key)

    if kind == "lost":
        return cases.filter(opened_at__gte=start, opened_at__lt=end).order_by("-opened_at", "-id")
    if kind == "won_back":
        return cases.filter(won, won_back_at__gte=start, won_back_at__lt=end).order_by(
            "-won_back_at", "-id"
        )
    if kind in ("contacted", "reached", "accepted"):
        outcome = {
            "contacted": Q(),
            "reached": Q(contacts__outcome__in=REACHED_OUTCOMES),
            "accepted": Q(contacts__outcome="accepted"),
        }[kind]
        return (
            cases.annotate(first_at=Min("contacts__occurred_at", filter=contact_filter & outcome))
            .filter(first_at__gte=start, first_at__lt=end)
            .order_by("-first_at", "-id")
        )
    if kind in ("targeted", "won_back_30", "won_back_90") and dimension == "campaign":
        targets = CampaignTarget.objects.filter(
            campaign_id=int(key), created_at__gte=start, created_at__lt=end
        )
        if agency_id:
            targets = targets.filter(case__agency_id=agency_id)
        ids = targets.values("case_id")
        cases = cases.filter(pk__in=ids)
        if kind == "targeted":
            return cases.order_by("customer__last_name", "id")
        days = 30 if kind == "won_back_30" else 90
        started = CampaignTarget.objects.filter(campaign_id=int(key), case=OuterRef("pk"))
        return (
            cases.filter(won)
            .annotate(
                start_day=Subquery(
                    started.annotate(day=_paris_day("created_at")).values("day")[:1]
                ),
                end_day=_paris_day("won_back_at"),
            )
            .filter(_within(days))
            .order_by("-won_back_at", "-id")
        )
    if kind in ("won_back_30", "won_back_90"):
        days = 30 if kind == "won_back_30" else 90
        if dimension == SnapshotDimension.CHANNEL:
            first = Min("contacts__occurred_at", filter=Q(contacts__channel=key))
            return (
                cases.annotate(first_at=first)
                .filter(won, first_at__gte=start, first_at__lt=end)
                .annotate(start_day=_paris_day("first_at"), end_day=_paris_day("won_back_at"))
                .filter(_within(days))
                .order_by("-won_back_at", "-id")
            )
        return (
            cases.filter(won, opened_at__gte=start, opened_at__lt=end)
            .annotate(start_day=_paris_day("opened_at"), end_day=_paris_day("won_back_at"))
            .filter(_within(days))
            .order_by("-won_back_at", "-id")
        )
    return cases.none()


def drilldown_customers(
    *,
    kind: str,
    period_from: datetime.date,
    period_to: datetime.date,
    agency_id: int | None,
    segment_key: str | None,
) -> QuerySet[Customer]:
    """The customers behind ridership recovery (with their trips of the last month) or
    behind the new customers of these months."""
    period = period_to
    customers = Customer.objects.select_related("segment", "home_agency")
    if agency_id:
        customers = customers.filter(home_agency_id=agency_id)
    if segment_key is not None:
        customers = (
            customers.filter(segment_id=int(segment_key))
            if segment_key
            else customers.filter(segment__isnull=True)
        )
    if kind == "recovery":
        # the customers with a baseline, as snapshot_compute counts them
        in_baseline, months = Q(pk__in=[]), []
        for segment_id, row in settings_effective().items():
            of_segment = Q(segment__isnull=True) if segment_id is None else Q(segment_id=segment_id)
            in_baseline |= of_segment & Q(
                ridership__month__range=(row.baseline_start, row.baseline_end)
            )
            months.append(When(of_segment, then=Value(row.baseline_months)))
        month_trips = RidershipMonth.objects.filter(customer=OuterRef("pk"), month=period)
        return (
            customers.annotate(
                baseline_sum=Sum("ridership__trips", filter=in_baseline),
                baseline_months=Case(*months, output_field=IntegerField()),
                month_trips=Coalesce(
                    Subquery(month_trips.values("trips")[:1]), 0, output_field=IntegerField()
                ),
            )
            .filter(baseline_sum__gt=0)
            .order_by("month_trips", "last_name", "id")
        )
    if kind == "new_customers":
        origin = RidershipMonth.objects.aggregate(first=Min("month"))["first"]
        first_trip = Min("ridership__month", filter=Q(ridership__trips__gt=0))
        return (
            customers.annotate(first_trip=first_trip)
            .filter(first_trip__gte=period_from, first_trip__lt=add_months(period, 1))
            .exclude(first_trip=origin)
            .order_by("last_name", "first_name", "id")
        )
    return customers.none()
