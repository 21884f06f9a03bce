"""indicators_compute rolls the quarters, years and totals up from its monthly sums: the
network, agency and channel rows, and a quarter spanning two months, computed by hand
over the answers themselves (a mean of the months' means, or a standard deviation made
of the months' own, would fail here)."""

import datetime
from decimal import Decimal

import pytest

from satisfaction.models import GapSnapshot, ResponseSnapshot
from satisfaction.services import indicators_compute
from tests.satisfaction.conftest import paris

pytestmark = pytest.mark.django_db

OCTOBER, NOVEMBER = datetime.date(2025, 10, 1), datetime.date(2025, 11, 1)
Q4 = datetime.date(2025, 10, 1)
D = Decimal


def row(kind="month", period=NOVEMBER, agency=None, channel=""):
    return GapSnapshot.objects.get(period_kind=kind, period=period, agency=agency, channel=channel)


@pytest.fixture
def autumn(bulk_answers, helene, make_customer, agent, agent_villeurbanne):
    """CSAT (on 0–100: (score − 1) × 25) with the agents' estimates of the same exchanges.
    October, Lyon counter: 2 (25), estimated 3 (50).
    November, Lyon counter: 5 and 3 (100, 50), estimated 4 and 4 (75, 75);
    Villeurbanne counter: 4 and 2 (75, 25), estimated 5 and 2 (100, 25);
    Villeurbanne phone: 1 (0), not estimated."""
    jerome = make_customer("Jérôme", "Gaël-Noël", home_agency=agent_villeurbanne.agency)
    bulk_answers(
        customer=helene, agent=agent, at=paris(2025, 10, 15, 9, 30), scores=[2], estimates=[3]
    )
    november = paris(2025, 11, 20, 16, 45)
    bulk_answers(customer=helene, agent=agent, at=november, scores=[5, 3], estimates=[4, 4])
    bulk_answers(
        customer=jerome, agent=agent_villeurbanne, at=november, scores=[4, 2], estimates=[5, 2]
    )
    bulk_answers(
        customer=jerome, agent=agent_villeurbanne, at=november, scores=[1], channel="phone"
    )
    indicators_compute(min_sample=2)


def test_the_network_month_over_two_agencies(autumn):
    network = row()
    # 100, 50, 75, 25, 0: mean 50, s² = (50² + 0² + 25² + 25² + 50²) / 4, s = 39.53
    assert (network.answers_n, network.real_score, network.real_sd) == (5, D("50.00"), D("39.53"))
    assert (network.real_ci_low, network.real_ci_high) == (D("15.35"), D("84.65"))
    # satisfied (4–5): 5 and 4, 2 of 5
    assert (network.satisfied_n, network.satisfied_share) == (2, D("40.00"))
    # differences estimate − answer: −25, +25, +25, 0; mean 6.25, s_d = 23.94,
    # 1.96 · 23.94 / √4 = 23.46
    assert (network.paired_n, network.estimate_score, network.paired_real_score) == (
        4,
        D("68.75"),
        D("62.50"),
    )
    assert (network.gap, network.gap_ci_low, network.gap_ci_high) == (
        D("6.25"),
        D("-17.21"),
        D("29.71"),
    )
    assert (network.csat_n, network.csat_mean) == (5, D("3.00"))


def test_a_channel_over_two_agencies(autumn):
    counter = row(channel="counter")
    # Lyon's 100, 50 and Villeurbanne's 75, 25: mean 62.5, s = √(3125 / 3) = 32.27
    assert (counter.answers_n, counter.real_score, counter.real_sd) == (4, D("62.50"), D("32.27"))
    assert (counter.real_ci_low, counter.real_ci_high) == (D("30.87"), D("94.13"))
    assert (counter.paired_n, counter.gap) == (4, D("6.25"))
    assert row(channel="phone").real_score == D("0.00")


def test_an_agency_over_two_channels(autumn, agency_villeurbanne):
    villeurbanne = row(agency=agency_villeurbanne)
    # 75, 25 at the counter, 0 on the phone: mean 33.33, s = 38.19; the low bound clipped
    assert (villeurbanne.answers_n, villeurbanne.real_score) == (3, D("33.33"))
    assert villeurbanne.real_sd == D("38.19")
    assert (villeurbanne.real_ci_low, villeurbanne.real_ci_high) == (D("0.00"), D("76.55"))
    # differences +25 and 0
    assert (villeurbanne.paired_n, villeurbanne.gap) == (2, D("12.50"))


def test_a_quarter_over_two_months(autumn, agency_lyon):
    quarter = row(kind="quarter", period=Q4)
    # November's five and October's 25: 275 / 6 = 45.83, s = 36.80
    assert (quarter.answers_n, quarter.real_score, quarter.real_sd) == (6, D("45.83"), D("36.80"))
    assert (quarter.real_ci_low, quarter.real_ci_high) == (D("16.39"), D("75.28"))
    # differences −25, +25, +25, 0 and October's +25: mean 10, s_d = √(2000 / 4) = 22.36,
    # 1.96 · 22.36 / √5 = 19.60
    assert (quarter.paired_n, quarter.gap) == (5, D("10.00"))
    assert (quarter.gap_ci_low, quarter.gap_ci_high) == (D("-9.60"), D("29.60"))
    lyon = row(kind="quarter", period=Q4, agency=agency_lyon)
    # 25, 100, 50: mean 58.33; differences +25, −25, +25
    assert (lyon.answers_n, lyon.real_score, lyon.real_sd) == (3, D("58.33"), D("38.19"))
    assert (lyon.paired_n, lyon.gap) == (3, D("8.33"))
    assert row(kind="year", period=datetime.date(2025, 1, 1)).real_sd == D("36.80")
    # each month on its own
    assert row(period=OCTOBER).answers_n == 1
    assert row(period=OCTOBER).real_sd is None  # one answer: no deviation


def test_response_rates_roll_up(autumn, agency_lyon, surveys):
    def rates(kind, period, **where):
        return ResponseSnapshot.objects.get(
            period_kind=kind, period=period, survey=surveys["csat"], **where
        )

    assert rates("month", OCTOBER, agency=agency_lyon, channel="").sent_n == 1
    assert rates("quarter", Q4, agency=agency_lyon, channel="").sent_n == 3
    assert rates("quarter", Q4, agency=None, channel="counter").sent_n == 5
    everything = rates("year", datetime.date(2025, 1, 1), agency=None, channel="")
    assert (everything.sent_n, everything.answered_n, everything.rate) == (6, 6, D("100.00"))
