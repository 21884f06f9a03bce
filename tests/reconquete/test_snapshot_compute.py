"""snapshot_compute: every indicator on a hand-built data set, computed by hand below.

Cases (agency, segment, opened → won back; days are Paris calendar days):
  c1 Lyon, Scolaires:        1 Mar 00:30 Paris (still 28 Feb in UTC) → 20 Mar: 19 days
  c2 Lyon, Seniors:          10 Mar → 15 May: 66 days
  c3 Villeurbanne, Scolaires: 31 Mar 23:30 Paris (April in UTC) → still open
  c4 Villeurbanne, Seniors:  28 Feb 23:59 Paris → 5 Mar: 5 days
  c5 Lyon, Scolaires:        15 Jan → 25 Mar: 69 days
Reconquest contacts (campaign K targets c1, c2, c3 on 5 March):
  6 Mar c1 phone unreachable (K) · 12 Mar c1 phone accepted (K) · 12 Mar c2 e-mail
  reached (K) · 2 Apr c3 phone declined (K) · 20 Apr c2 counter accepted (no campaign)
Returns are attributed: c1 → 12 Mar call (K, phone); c2 → 20 Apr counter visit.
Ridership, baseline January–March 2025: Hélène (Lyon, Scolaires) 30 a month, 15 in March
2026; Jérôme (Lyon, Seniors) 10 + 0 + nothing = 3.33 a month, 5 in March 2026; Kévin
(Villeurbanne, Scolaires) first travels in February 2026: a new customer, no baseline.
"""

from decimal import Decimal

import pytest
from django.db import DatabaseError

from reconquete.models import CaseStatus, ReconquestSnapshot, RidershipMonth
from reconquete.services import indicators, snapshot_compute
from tests.reconquete.conftest import month
from tests.reconquete.snapshots import snapshot_values
from tests.support.time import paris

pytestmark = pytest.mark.django_db

MARCH, APRIL, MAY = month(2026, 3), month(2026, 4), month(2026, 5)


@pytest.fixture
def data(
    make_customer,
    make_case,
    make_campaign,
    make_target,
    make_contact,
    network_settings,
    agent,
    agency_lyon,
    agency_villeurbanne,
    scolaires,
    seniors,
):
    helene = make_customer("Hélène", "Dupont-Lefèvre", segment=scolaires)
    jerome = make_customer("Jérôme", "Gaël-Noël", segment=seniors)
    kevin = make_customer("Kévin", "Nguyễn", segment=scolaires, home_agency=agency_villeurbanne)
    maelle = make_customer("Maëlle", "Béranger", segment=seniors, home_agency=agency_villeurbanne)
    noel = make_customer("Noël", "Chevalier", segment=scolaires)

    def won(opened, back, customer, **fields):
        return make_case(
            customer, opened_at=opened, status=CaseStatus.WON_BACK, won_back_at=back, **fields
        )

    c1 = won(paris(2026, 3, 1, 0, 30), paris(2026, 3, 20, 12, 0), helene)
    c2 = won(paris(2026, 3, 10, 2, 0), paris(2026, 5, 15, 12, 0), jerome)
    c3 = make_case(kevin, opened_at=paris(2026, 3, 31, 23, 30))
    won(paris(2026, 2, 28, 23, 59), paris(2026, 3, 5, 12, 0), maelle)
    won(paris(2026, 1, 15, 2, 0), paris(2026, 3, 25, 12, 0), noel)

    k = make_campaign(agent, [agency_lyon, agency_villeurbanne], name="Printemps du tram")
    targets = {
        case: make_target(k, case, agent=agent, created_at=paris(2026, 3, 5, 10, 0))
        for case in (c1, c2, c3)
    }

    def contact(case, day, hour, outcome, channel, campaign=k):
        return make_contact(
            case,
            agent=agent,
            outcome=outcome,
            at=paris(2026, *day, hour, 0),
            channel=channel,
            campaign=campaign,
            target=targets.get(case) if campaign else None,
        )

    contact(c1, (3, 6), 10, "unreachable", "phone")
    call = contact(c1, (3, 12), 10, "accepted", "phone")
    contact(c2, (3, 12), 11, "reached", "email")
    contact(c3, (4, 2), 10, "declined", "phone")
    visit = contact(c2, (4, 20), 15, "accepted", "counter", campaign=None)
    c1.attributed_campaign, c1.attributed_touchpoint = k, call.touchpoint
    c1.save()
    c2.attributed_touchpoint = visit.touchpoint
    c2.save()

    rows = [
        (helene, month(2025, 1), 30),
        (helene, month(2025, 2), 30),
        (helene, month(2025, 3), 30),
        (helene, MARCH, 15),
        (jerome, month(2025, 1), 10),
        (jerome, month(2025, 2), 0),
        (jerome, MARCH, 5),
        (kevin, month(2026, 2), 8),
        (kevin, MARCH, 12),
    ]
    RidershipMonth.objects.bulk_create(
        RidershipMonth(customer=c, month=m, trips=t) for c, m, t in rows
    )
    return {"k": k, "lyon": agency_lyon, "villeurbanne": agency_villeurbanne}


def row(period, dimension="total", key="", agency=None) -> ReconquestSnapshot:
    return ReconquestSnapshot.objects.get(
        period=period, dimension=dimension, key=str(key), agency=agency
    )


def compute():
    return snapshot_compute(period_from=month(2025, 1), period_to=MAY)


def test_cases_lost_won_back_rates_and_median_by_scope(data):
    compute()
    network = row(MARCH)
    assert (network.lost, network.cohort, network.won_back_30, network.won_back_90) == (3, 3, 1, 2)
    assert network.won_back == 3  # c1, c4, c5
    assert network.median_days == 19  # median of 19, 5 and 69
    assert (network.rate_30, network.rate_90) == (Decimal("33.3"), Decimal("66.7"))
    lyon = row(MARCH, agency=data["lyon"])
    assert (lyon.lost, lyon.won_back_30, lyon.won_back_90, lyon.won_back) == (2, 1, 2, 2)
    assert lyon.median_days == 44  # 19 and 69
    assert lyon.label == "Lyon Part-Dieu"
    villeurbanne = row(MARCH, agency=data["villeurbanne"])
    assert (villeurbanne.lost, villeurbanne.won_back, villeurbanne.median_days) == (1, 1, 5)
    assert row(month(2026, 2)).lost == 1  # c4, 23:59 on 28 February in Paris
    may = row(MAY)
    assert (may.won_back, may.median_days) == (1, 66)


def test_cases_by_segment(data, scolaires, seniors):
    compute()
    school = row(MARCH, "segment", scolaires.pk)
    assert school.label == "Scolaires"
    assert (school.lost, school.won_back_30, school.won_back_90, school.won_back) == (2, 1, 1, 2)
    assert school.median_days == 44
    senior = row(MARCH, "segment", seniors.pk)
    assert (senior.lost, senior.won_back_90, senior.won_back, senior.median_days) == (1, 1, 1, 5)
    lyon_school = row(MARCH, "segment", scolaires.pk, agency=data["lyon"])
    assert (lyon_school.lost, lyon_school.won_back) == (1, 2)


def test_contacted_reached_accepted_count_each_case_once_in_its_first_month(data):
    compute()
    march, april = row(MARCH), row(APRIL)
    assert (march.contacted, march.reached, march.accepted) == (2, 2, 1)
    assert (april.contacted, april.reached, april.accepted) == (1, 1, 1)
    assert row(MARCH, agency=data["lyon"]).contacted == 2
    assert row(APRIL, agency=data["villeurbanne"]).contacted == 1


def test_campaign_results(data):
    compute()
    key = data["k"].pk
    march = row(MARCH, "campaign", key)
    assert march.label == "Printemps du tram"
    assert (march.targeted, march.cohort, march.won_back_30, march.won_back_90) == (3, 3, 1, 1)
    assert (march.contacted, march.reached, march.accepted) == (2, 2, 1)
    assert (march.won_back, march.median_days) == (1, 19)
    april = row(APRIL, "campaign", key)
    # the 20 April visit belongs to no campaign
    assert (april.contacted, april.reached, april.accepted, april.targeted) == (1, 1, 0, None)
    assert not ReconquestSnapshot.objects.filter(dimension="campaign", key="").exists()


def test_channels(data):
    compute()
    phone = row(MARCH, "channel", "phone")
    assert (phone.contacted, phone.reached, phone.accepted) == (1, 1, 1)
    # cohort: c1 first called on 6 March, back on the 20th through that phone call
    assert (phone.cohort, phone.won_back_30, phone.won_back, phone.median_days) == (1, 1, 1, 19)
    email = row(MARCH, "channel", "email")
    assert (email.contacted, email.reached, email.cohort, email.won_back_90) == (1, 1, 1, 0)
    counter_april = row(APRIL, "channel", "counter")
    assert (counter_april.cohort, counter_april.won_back_30, counter_april.accepted) == (1, 1, 1)
    assert row(MAY, "channel", "counter").won_back == 1
    assert row(APRIL, "channel", "phone").cohort == 1  # c3, first called on 2 April


def test_ridership_recovery_and_new_customers(data, scolaires, seniors):
    compute()
    network = row(MARCH)
    assert network.trips == 20  # Hélène 15 + Jérôme 5; Kévin has no baseline
    assert network.baseline_trips == Decimal("33.3333")
    assert network.recovery == Decimal("60.0")
    assert row(MARCH, "segment", scolaires.pk).recovery == Decimal("50.0")
    assert row(MARCH, "segment", seniors.pk).recovery == Decimal("150.0")
    assert row(MARCH, agency=data["lyon"]).recovery == Decimal("60.0")
    assert row(month(2025, 2)).trips == 30  # Hélène 30, Jérôme 0
    february = row(month(2026, 2))
    assert february.new_customers == 1  # Kévin; the others were there from the start
    assert row(month(2026, 2), agency=data["villeurbanne"]).new_customers == 1
    assert row(month(2025, 1)).new_customers is None


def test_a_rerun_writes_the_same_rows(data):
    compute()
    first = snapshot_values()
    compute()
    assert snapshot_values() == first


def test_an_interrupted_recompute_keeps_the_previous_snapshot(data, monkeypatch):
    compute()
    first = snapshot_values()
    monkeypatch.setattr(indicators, "STEPS", [*indicators.STEPS[:3], "SELECT 1 / 0"])
    with pytest.raises(DatabaseError):
        compute()
    assert snapshot_values() == first


def test_progress_is_reported_step_by_step(data):
    steps = []
    compute_report = snapshot_compute(
        period_from=MARCH, period_to=MARCH, progress=lambda done, total: steps.append(done)
    )
    assert steps == list(range(1, len(indicators.STEPS) + 2))
    assert compute_report.rows == ReconquestSnapshot.objects.count()
    assert set(ReconquestSnapshot.objects.values_list("period", flat=True)) == {MARCH}


def test_month_boundaries_follow_paris_time(data, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as captured:
        compute()
    sqls = " ".join(q["sql"] for q in captured.captured_queries)
    assert "AT TIME ZONE 'Europe/Paris'" in sqls and "GROUPING SETS" in sqls
    assert row(MARCH).lost == 3 and row(month(2026, 2)).lost == 1
    assert not ReconquestSnapshot.objects.filter(period=APRIL, lost__gt=0).exists()
