"""The reconquest and satisfaction indicators registered for the cycle's controls: read
from hand-made snapshot rows, computed by hand, and measured through control_measure."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from reconquete.models import ReconquestSnapshot
from relation_client.customers.models import Segment
from relation_client.cycle import indicators, services
from relation_client.cycle.models import Stage
from satisfaction.models import GapSnapshot

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# mid-June: June is not complete; February is the latest month whose 90 days are over
NOW = datetime.datetime(2025, 6, 15, 12, 0, tzinfo=PARIS)
CODES = ["reconquest_rate_90", "ridership_recovery", "satisfaction_score", "satisfaction_gap"]


def _reconquest(segment, period, *, agency=None, **figures) -> ReconquestSnapshot:
    return ReconquestSnapshot.objects.create(
        period=period,
        agency=agency,
        dimension="segment",
        key=str(segment.pk),
        label=segment.name,
        computed_at=NOW,
        **figures,
    )


def _gap(period, *, agency=None, channel="", **figures) -> GapSnapshot:
    return GapSnapshot.objects.create(
        period_kind="month",
        period=period,
        agency=agency,
        channel=channel,
        computed_at=NOW,
        **figures,
    )


@pytest.fixture
def reconquest_rows(segment, agency_lyon):
    seniors = Segment.objects.get(name="Seniors")
    # February: 10 of 40 won back within 90 days → 25.0 %
    _reconquest(segment, datetime.date(2025, 2, 1), cohort=40, won_back_90=10)
    # March's 90 days are not over on 15 June: not read
    _reconquest(segment, datetime.date(2025, 3, 1), cohort=20, won_back_90=2)
    # May: 80 trips for a baseline of 100 → 80.0 %; June is the current month: not read
    _reconquest(segment, datetime.date(2025, 5, 1), trips=80, baseline_trips=Decimal("100"))
    _reconquest(segment, datetime.date(2025, 6, 1), trips=10, baseline_trips=Decimal("100"))
    # another segment, and one agency's row of the segment: not read
    _reconquest(seniors, datetime.date(2025, 2, 1), cohort=10, won_back_90=9)
    _reconquest(seniors, datetime.date(2025, 5, 1), trips=50, baseline_trips=Decimal("100"))
    _reconquest(
        segment,
        datetime.date(2025, 2, 1),
        agency=agency_lyon,
        cohort=4,
        won_back_90=4,
        trips=1,
        baseline_trips=Decimal("10"),
    )


@pytest.fixture
def satisfaction_rows(agency_lyon):
    # April has a gap; May's too few answers with an estimate leave it without one
    _gap(datetime.date(2025, 4, 1), answers_n=120, real_score=Decimal("70.00"), paired_n=40,
         gap=Decimal("-4.50"))  # fmt: skip
    _gap(datetime.date(2025, 5, 1), answers_n=90, real_score=Decimal("72.50"), paired_n=12)
    # the current month, an agency, a channel: not read
    _gap(datetime.date(2025, 6, 1), answers_n=5, real_score=Decimal("40.00"), paired_n=0)
    _gap(datetime.date(2025, 5, 1), agency=agency_lyon, answers_n=50, real_score=Decimal("90"))
    _gap(datetime.date(2025, 5, 1), channel="phone", answers_n=30, real_score=Decimal("10"))


def _value(code, segment):
    return indicators.get(code).compute(segment=segment, now=NOW)


def test_the_apps_register_their_indicators():
    found = [indicators.get(code) for code in CODES]
    assert all(i is not None and not i.is_manual for i in found)
    assert [i.higher_is_better for i in found] == [True, True, True, False]
    assert "réseau entier" in str(indicators.get("satisfaction_score").label)
    assert set(CODES) <= {code for code, _label in indicators.choices()}


def test_reconquest_indicators_by_hand(segment, reconquest_rows):
    assert _value("reconquest_rate_90", segment) == Decimal("25.0")
    assert _value("ridership_recovery", segment) == Decimal("80.0")
    seniors = Segment.objects.get(name="Seniors")
    assert _value("reconquest_rate_90", seniors) == Decimal("90.0")
    assert _value("ridership_recovery", seniors) == Decimal("50.0")


def test_satisfaction_indicators_are_network_wide(segment, satisfaction_rows):
    assert _value("satisfaction_score", segment) == Decimal("72.50")
    # May has no gap (12 answers with an estimate): April's, as a size in points
    assert _value("satisfaction_gap", segment) == Decimal("4.50")
    seniors = Segment.objects.get(name="Seniors")
    assert _value("satisfaction_score", seniors) == Decimal("72.50")


@pytest.mark.parametrize("code", CODES)
def test_no_snapshot_no_value(segment, code):
    assert _value(code, segment) is None


def test_only_immature_or_current_rows_give_no_value(segment):
    _reconquest(segment, datetime.date(2025, 3, 1), cohort=20, won_back_90=2)
    _reconquest(segment, datetime.date(2025, 6, 1), trips=10, baseline_trips=Decimal("100"))
    _gap(datetime.date(2025, 6, 1), answers_n=50, real_score=Decimal("60"), gap=Decimal("3"))
    assert [_value(code, segment) for code in CODES] == [None, None, None, None]


@pytest.mark.parametrize(
    ("code", "target", "value", "met"),
    [
        ("reconquest_rate_90", 30, Decimal("25.00"), False),
        ("ridership_recovery", 75, Decimal("80.00"), True),
        ("satisfaction_score", 70, Decimal("72.50"), True),
        ("satisfaction_gap", 5, Decimal("4.50"), True),
    ],
)
def test_a_control_on_the_indicator_gets_measured(
    segment, steerer, bring_to, reconquest_rows, satisfaction_rows, code, target, value, met
):
    round = bring_to(segment, Stage.CONTROL)
    control = services.control_add(round=round, by=steerer, indicator=code, target=target)
    services.control_measure(control=control, by=steerer, now=NOW)
    control.refresh_from_db()
    assert (control.measured_value, control.measured_at, control.met) == (value, NOW, met)
    assert control.label == str(indicators.get(code).label)
