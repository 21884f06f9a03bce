"""indicators_compute: the gap, NPS, response rate and confidence intervals on a small
data set computed by hand; the minimum sample at its edge; idempotence."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from relation_client.runs.models import BackgroundRun, RunStatus
from satisfaction.models import (
    GapSnapshot,
    ResponseSnapshot,
    SurveyInvitation,
    TeamBarometer,
)
from satisfaction.services import indicators_compute
from tests.satisfaction.conftest import paris

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2025, 11, 1)
D = Decimal


def row(kind="month", period=NOVEMBER, agency=None, channel=""):
    return GapSnapshot.objects.get(period_kind=kind, period=period, agency=agency, channel=channel)


@pytest.fixture
def november(
    bulk_answers, helene, make_customer, agent, colleague_lyon, agent_villeurbanne, surveys
):
    """Lyon, counter: CSAT 5, 4, 2, 3, 1, the agent's estimates 5, 5, 4, 4 and none.
    Villeurbanne, phone: NPS 10, 9, 9, 8, 2, no estimate. Lyon's barometer: 80 and 90 %.
    Lyon's counter also sent 3 invitations nobody answered, and has 1 not sent yet."""
    at = paris(2025, 11, 14, 10, 0)
    bulk_answers(
        customer=helene, agent=agent, at=at, scores=[5, 4, 2, 3, 1], estimates=[5, 5, 4, 4, None]
    )
    jerome = make_customer("Jérôme", "Gaël-Noël", home_agency=agent_villeurbanne.agency)
    bulk_answers(
        customer=jerome,
        agent=agent_villeurbanne,
        at=at,
        scores=[10, 9, 9, 8, 2],
        kind="nps",
        channel="phone",
    )
    pending = bulk_answers(customer=helene, agent=agent, at=at, scores=[3, 3, 3, 3])
    # answers removed: invitations sent (3) or not even sent (1), never answered
    SurveyInvitation.objects.filter(pk__in=[i.pk for i in pending]).update(answered_at=None)
    for invitation in pending:
        invitation.answer.delete()
    SurveyInvitation.objects.filter(pk=pending[0].pk).update(sent_at=None)
    for who, share in ((agent, 80), (colleague_lyon, 90)):
        TeamBarometer.objects.create(
            agent=who, agency=who.agency, period=NOVEMBER, satisfied_share=share
        )


def test_lyon_counter_by_hand(november, agency_lyon):
    indicators_compute(min_sample=4)
    lyon = row(agency=agency_lyon, channel="counter")
    # CSAT on 0–100: (score − 1) × 25 → 100, 75, 25, 50, 0; mean 50
    assert lyon.answers_n == 5 and lyon.real_score == D("50.00")
    # s² = (50² + 25² + 25² + 0² + 50²) / 4 = 1562.5, s = 39.53; 1.96 · s / √5 = 34.65
    assert lyon.real_sd == D("39.53")
    assert (lyon.real_ci_low, lyon.real_ci_high) == (D("15.35"), D("84.65"))
    # satisfied (4–5): 2 of 5 = 40 %; Wald 1.96 · √(0.4 · 0.6 / 5) = 42.94 points, 0 at least
    assert (lyon.satisfied_n, lyon.satisfied_share) == (2, D("40.00"))
    assert (lyon.satisfied_ci_low, lyon.satisfied_ci_high) == (D("0.00"), D("82.94"))
    # the same 4 touchpoints: estimates 100, 100, 75, 75 (87.5) against 100, 75, 25, 50
    # (62.5); differences 0, 25, 50, 25: gap +25, s_d = √(1250 / 3) = 20.41,
    # 1.96 · 20.41 / √4 = 20.00
    assert lyon.paired_n == 4
    assert (lyon.estimate_score, lyon.paired_real_score) == (D("87.50"), D("62.50"))
    assert lyon.gap == D("25.00")
    assert (lyon.gap_ci_low, lyon.gap_ci_high) == (D("5.00"), D("45.00"))
    assert (lyon.csat_n, lyon.csat_mean, lyon.nps_n, lyon.nps) == (5, D("3.00"), 0, None)


def test_nps_by_hand(november, agency_villeurbanne):
    indicators_compute(min_sample=4)
    phone = row(agency=agency_villeurbanne, channel="phone")
    # promoters 9–10: three; detractors 0–6: one; (3 − 1) / 5 = +40
    assert (phone.nps_n, phone.promoters_n, phone.detractors_n) == (5, 3, 1)
    assert phone.nps == D("40.00")
    # NPS on 0–100: 100, 90, 90, 80, 20 → 76; no estimate, so no gap
    assert phone.real_score == D("76.00")
    assert (phone.paired_n, phone.gap, phone.estimate_score) == (0, None, None)


def test_network_and_agency_totals(november, agency_lyon):
    indicators_compute(min_sample=4)
    network = row()
    # 250 + 380 points over 10 answers
    assert (network.answers_n, network.real_score) == (10, D("63.00"))
    assert (network.paired_n, network.gap) == (4, D("25.00"))
    assert network.nps == D("40.00")
    # Lyon has only counter answers: its all-channel row is the counter row
    assert row(agency=agency_lyon).real_score == D("50.00")
    # quarters and years carry the same answers here
    assert row(kind="quarter", period=datetime.date(2025, 10, 1)).answers_n == 10
    assert row(kind="year", period=datetime.date(2025, 1, 1)).gap == D("25.00")


def test_barometer_gap_by_hand(november, agency_lyon):
    indicators_compute(min_sample=4)
    lyon = row(agency=agency_lyon)
    # staff believe 85 % are satisfied, customers say 40 %: +45 points
    assert (lyon.barometer_n, lyon.barometer_share, lyon.barometer_gap) == (
        2,
        D("85.00"),
        D("45.00"),
    )
    # s_b² / n_b + p (1 − p) / n = 50 / 2 + 40 · 60 / 5 = 505; 1.96 · √505 = 44.05
    assert (lyon.barometer_gap_ci_low, lyon.barometer_gap_ci_high) == (D("0.95"), D("89.05"))
    # the barometer is per agency: no channel row carries it
    assert row(agency=agency_lyon, channel="counter").barometer_n == 0


def test_response_rate_by_hand(november, agency_lyon, surveys):
    indicators_compute()
    rates = ResponseSnapshot.objects.get(
        period_kind="month",
        period=NOVEMBER,
        survey=surveys["csat"],
        agency=agency_lyon,
        channel="counter",
    )
    # 5 answered + 3 unanswered sent; the one never sent does not count
    assert (rates.sent_n, rates.answered_n, rates.rate) == (8, 5, D("62.50"))
    everything = ResponseSnapshot.objects.get(
        period_kind="month", period=NOVEMBER, survey=None, agency=None, channel=""
    )
    assert (everything.sent_n, everything.answered_n, everything.rate) == (13, 10, D("76.92"))


@pytest.mark.parametrize(("pairs", "shown"), [(29, False), (30, True)])
def test_no_gap_below_the_minimum_sample(bulk_answers, helene, agent, pairs, shown):
    bulk_answers(
        customer=helene,
        agent=agent,
        at=paris(2025, 11, 3, 9, 0),
        scores=[4] * pairs,
        estimates=[5] * pairs,
    )
    indicators_compute()  # the default minimum: 30
    network = row()
    assert network.paired_n == pairs
    assert (network.gap is not None) == shown
    assert (network.estimate_score is not None) == shown
    if shown:
        assert network.gap == D("25.00")  # 100 − 75 on every pair
        # every difference is 25: s_d = 0, the interval shrinks to the gap itself
        assert (network.gap_ci_low, network.gap_ci_high) == (D("25.00"), D("25.00"))


def test_paris_months(bulk_answers, helene, agent):
    # 1 December 00:30 in Paris is still 30 November in UTC
    bulk_answers(customer=helene, agent=agent, at=paris(2025, 12, 1, 0, 30), scores=[5])
    indicators_compute()
    assert row(period=datetime.date(2025, 12, 1)).answers_n == 1
    assert not GapSnapshot.objects.filter(period_kind="month", period=NOVEMBER).exists()


def _snapshot_values() -> list[list[tuple]]:
    """Every snapshot row's values but its id and timestamp, in a stable order."""
    tables = []
    with connection.cursor() as cursor:
        for table in ("gapsnapshot", "responsesnapshot", "teamsnapshot"):
            cursor.execute(f"SELECT * FROM satisfaction_{table}")
            names = [column.name for column in cursor.description]
            keep = [i for i, name in enumerate(names) if name not in ("id", "computed_at")]
            values = [tuple(row[i] for i in keep) for row in cursor.fetchall()]
            tables.append(sorted(values, key=repr))
    return tables


def test_idempotent_run_twice(november):
    first = indicators_compute(min_sample=4)
    before = _snapshot_values()
    second = indicators_compute(min_sample=4)
    assert _snapshot_values() == before
    assert (first.gap_rows, first.response_rows) == (second.gap_rows, second.response_rows)
    assert first.gap_rows == GapSnapshot.objects.count() > 0


def test_the_run_records_its_end(november):
    summary = indicators_compute()
    run = BackgroundRun.objects.get(pk=summary.run_id)
    assert (run.status, run.progress) == (RunStatus.DONE, 100)
    assert run.rows == summary.gap_rows + summary.response_rows + summary.team_rows
    assert run.finished_at <= timezone.now()


def test_a_failed_run_says_so_and_keeps_the_old_snapshots(november, monkeypatch):
    indicators_compute()
    count = GapSnapshot.objects.count()
    from satisfaction.services import indicators

    broken = [*indicators.STEPS[:2], ("Étape cassée", "SELECT 1 / 0")]
    monkeypatch.setattr(indicators, "STEPS", broken)
    with pytest.raises(Exception, match="division by zero"):
        indicators_compute()
    assert GapSnapshot.objects.count() == count  # the whole transaction rolled back
    assert BackgroundRun.objects.filter(status=RunStatus.FAILED).count() == 1
