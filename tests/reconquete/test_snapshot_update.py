"""snapshot_update: the incremental refresh recomputes only the months the changes since a
moment can have moved, and gives the rows a full recompute gives. Data set: the one of
test_snapshot_compute (cases from January to May 2026, baseline January–March 2025)."""

import pytest
from django.utils import timezone

from reconquete.models import CaseStatus, ReconquestCase, ReconquestSnapshot, RidershipMonth
from reconquete.services import last_computed_at, snapshot_compute, snapshot_update
from reconquete.tasks import update_indicators
from tests.reconquete.conftest import month
from tests.reconquete.test_snapshot_compute import MARCH, MAY, data  # noqa: F401 (fixture)
from tests.support.time import paris

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data")]

FIRST = month(2025, 10)  # the computed range starts before the data: months left alone


def rows() -> dict:
    return {
        (s.period, s.agency_id, s.dimension, s.key): (
            s.lost, s.cohort, s.won_back_30, s.won_back_90, s.won_back, s.median_days,
            s.contacted, s.reached, s.accepted, s.targeted, s.trips, s.baseline_trips,
            s.new_customers, s.label,
        )
        for s in ReconquestSnapshot.objects.all()
    }  # fmt: skip


def computed_at_by_period() -> dict:
    return dict(ReconquestSnapshot.objects.values_list("period", "computed_at").distinct())


def full_rows(until=MAY) -> dict:
    snapshot_compute(period_from=FIRST, period_to=until)
    return rows()


def test_a_return_recomputes_from_the_window_before_it_and_matches_a_full_recompute():
    snapshot_compute(period_from=FIRST, period_to=MAY)
    before = computed_at_by_period()
    since = timezone.now()
    kevin_case = ReconquestCase.objects.get(customer__first_name="Kévin")
    # detected today, dated in the past: 20 April, the month the ridership shows it
    kevin_case.status, kevin_case.won_back_at = CaseStatus.WON_BACK, paris(2026, 4, 20, 12, 0)
    kevin_case.save()

    report = snapshot_update(since=since, until=MAY)

    # opened on 31 March, within the 90 days before the return: its cohort moves
    assert (report.period_from, report.period_to) == (MARCH, MAY)
    after = computed_at_by_period()
    assert all(after[period] == before[period] for period in after if period < MARCH)
    assert all(after[period] > before[period] for period in after if period >= MARCH)
    april = ReconquestSnapshot.objects.get(period=month(2026, 4), dimension="total", agency=None)
    assert april.won_back == 1
    incremental = rows()
    assert incremental == full_rows()


def test_a_late_return_leaves_the_opening_month_alone():
    snapshot_compute(period_from=FIRST, period_to=month(2026, 9))
    since = timezone.now()
    case = ReconquestCase.objects.get(customer__first_name="Kévin")
    case.status, case.won_back_at = CaseStatus.WON_BACK, paris(2026, 8, 20, 12, 0)
    case.save()

    report = snapshot_update(since=since, until=month(2026, 9))

    # 20 August − 90 days = 22 May: March's cohort counts returns within 90 days only
    assert report.period_from == MAY
    assert rows() == full_rows(until=month(2026, 9))


def test_a_contact_logged_today_about_march_recomputes_from_march(make_contact, agent):
    snapshot_compute(period_from=FIRST, period_to=MAY)
    since = timezone.now()
    case = ReconquestCase.objects.get(customer__first_name="Noël")
    make_contact(case, agent=agent, outcome="reached", at=paris(2026, 3, 28, 9, 0))

    report = snapshot_update(since=since, until=MAY)

    assert report.period_from == month(2026, 3)
    assert rows() == full_rows()


def test_an_import_of_a_new_month_recomputes_that_month_only():
    snapshot_compute(period_from=FIRST, period_to=MAY)
    since = timezone.now()
    helene = ReconquestCase.objects.get(customer__first_name="Hélène").customer
    RidershipMonth.objects.create(customer=helene, month=MAY, trips=27)

    report = snapshot_update(since=since, until=MAY)

    assert (report.period_from, report.period_to) == (MAY, MAY)
    assert rows() == full_rows()


def test_a_corrected_baseline_month_recomputes_every_month():
    snapshot_compute(period_from=FIRST, period_to=MAY)
    since = timezone.now()
    RidershipMonth.objects.filter(month=month(2025, 2), trips=0).update(
        trips=6, updated_at=timezone.now()
    )

    report = snapshot_update(since=since, until=MAY)

    # every month of the default range: from the first ridership month to this month
    assert report.period_from == month(2025, 1)
    assert report.period_to == timezone.localdate().replace(day=1)


def test_nothing_changed_nothing_recomputed():
    snapshot_compute(period_from=FIRST, period_to=MAY)
    before = computed_at_by_period()

    assert snapshot_update(since=timezone.now(), until=MAY) is None
    assert computed_at_by_period() == before


def test_the_hourly_task_starts_from_the_latest_snapshot():
    assert last_computed_at() is None
    first = update_indicators()  # no snapshot yet: a full recompute
    assert first["rows"] > 0
    assert last_computed_at() is not None

    assert update_indicators() == {"rows": 0}  # nothing moved since
