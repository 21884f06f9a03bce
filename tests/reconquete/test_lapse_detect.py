"""lapse_detect: one statement per loss rule, closing of won-back cases with attribution.

The data set, with the network baseline of January–March 2025 (K = 3 months under 50 %,
M = 3 months without trips, 30 days of grace), detected on 10 March 2026 (observed
window: December 2025 to February 2026):

- Aurélie: subscription ended 31 January, not renewed → lapsed (31 Jan + 30 < 10 Mar);
- Benoît: ended 20 February, still within the grace period → not lost;
- Chloé: ended 10 January but renewed on 20 January → not lost;
- Déborah: 30 trips a month, then 10, 12, 8 (mean 10 < 15) → ridership drop, 33 %;
- Éric: 30 a month, then 20, 14, 12 (mean 15.33 ≥ 15) → not lost;
- Françoise: 20 a month, last trip in November 2025 → inactive since December;
- Gaëlle (Seniors, whose segment loses at 70 %): 30, then 18 → lost for her segment only.
"""

import datetime

import pytest

from reconquete.models import CaseStatus, ReconquestCase, ReconquestSettings, Subscription
from reconquete.services import lapse_detect
from tests.reconquete.conftest import month
from tests.support.time import paris

pytestmark = pytest.mark.django_db

DETECTION = datetime.date(2026, 3, 10)


def ride(customer, **trips_by_month):
    from reconquete.models import RidershipMonth

    for key, trips in trips_by_month.items():
        year, number = key[1:5], key[6:]
        RidershipMonth.objects.create(
            customer=customer, month=month(int(year), int(number)), trips=trips
        )


BASELINE_30 = {"m2025_01": 30, "m2025_02": 30, "m2025_03": 30}


def subscribe(customer, contract, start, end):
    return Subscription.objects.create(
        customer=customer,
        contract_number=contract,
        product="Pass Partout mensuel",
        start_date=start,
        end_date=end,
        status="ended" if end else "active",
        sales_channel="web",
    )


@pytest.fixture
def people(make_customer, network_settings, seniors):
    d = datetime.date
    p = {
        "aurelie": make_customer("Aurélie", "Lefèvre"),
        "benoit": make_customer("Benoît", "Gaël"),
        "chloe": make_customer("Chloé", "Béranger"),
        "deborah": make_customer("Déborah", "Mercier"),
        "eric": make_customer("Éric", "Faure"),
        "francoise": make_customer("Françoise", "Lemaître"),
        "gaelle": make_customer("Gaëlle", "Le Gall", segment=seniors),
    }
    subscribe(p["aurelie"], "ABO-A", d(2025, 2, 1), d(2026, 1, 31))
    subscribe(p["benoit"], "ABO-B", d(2025, 2, 21), d(2026, 2, 20))
    subscribe(p["chloe"], "ABO-C1", d(2025, 1, 11), d(2026, 1, 10))
    subscribe(p["chloe"], "ABO-C2", d(2026, 1, 20), None)
    ride(p["aurelie"], **BASELINE_30, m2025_12=30, m2026_01=30, m2026_02=30)
    ride(p["deborah"], **BASELINE_30, m2025_12=10, m2026_01=12, m2026_02=8)
    ride(p["eric"], **BASELINE_30, m2025_12=20, m2026_01=14, m2026_02=12)
    ride(
        p["francoise"],
        m2025_01=20,
        m2025_02=20,
        m2025_03=20,
        m2025_11=5,
        m2025_12=0,
        m2026_01=0,
        m2026_02=0,
    )
    ride(p["gaelle"], **BASELINE_30, m2025_12=18, m2026_01=18, m2026_02=18)
    ReconquestSettings.objects.create(
        segment=seniors,
        baseline_start=month(2025, 1),
        baseline_end=month(2025, 3),
        drop_percent=70,
    )
    return p


def cases():
    return {c.customer.first_name: c for c in ReconquestCase.objects.select_related("customer")}


def test_each_rule_opens_one_case_with_its_numbers(people, django_assert_num_queries):
    with django_assert_num_queries(9) as captured:
        # settings and segments, lock, closing, one INSERT … SELECT per rule (+ savepoint)
        report = lapse_detect(as_of=DETECTION)
    inserts = [q["sql"] for q in captured.captured_queries if "INSERT INTO" in q["sql"]]
    assert len(inserts) == 3 and all("ON CONFLICT" in sql for sql in inserts)
    assert report.opened == {"lapsed_subscription": 1, "inactive": 1, "ridership_drop": 2}
    found = cases()
    assert set(found) == {"Aurélie", "Déborah", "Françoise", "Gaëlle"}

    aurelie = found["Aurélie"]
    assert (aurelie.reason, aurelie.lost_since) == (
        "lapsed_subscription",
        datetime.date(2026, 1, 31),
    )
    assert aurelie.details == {
        "product": "Pass Partout mensuel",
        "contract": "ABO-A",
        "ended_on": "2026-01-31",
        "grace_days": 30,
    }
    assert aurelie.opened_at == paris(2026, 3, 10, 2, 0)

    deborah = found["Déborah"]
    assert deborah.reason == "ridership_drop"
    assert (deborah.baseline_trips, deborah.recent_trips, deborah.threshold_trips) == (30, 10, 15)
    assert deborah.details["ratio_percent"] == 33
    assert (deborah.lost_since, deborah.watch_from) == (month(2025, 12), month(2026, 3))

    francoise = found["Françoise"]
    assert (francoise.reason, francoise.lost_since) == ("inactive", month(2025, 12))
    assert francoise.details["last_trip_month"] == "2025-11-01"

    gaelle = found["Gaëlle"]
    assert gaelle.reason == "ridership_drop" and gaelle.threshold_trips == 21
    assert gaelle.segment_id == people["gaelle"].segment_id
    assert gaelle.agency_id == people["gaelle"].home_agency_id


def test_running_again_opens_nothing_twice(people):
    lapse_detect(as_of=DETECTION)
    before = list(ReconquestCase.objects.order_by("id").values())
    again = lapse_detect(as_of=DETECTION)
    later = lapse_detect(as_of=DETECTION + datetime.timedelta(days=1))
    assert again.opened_total == 0 and later.opened_total == 0
    assert list(ReconquestCase.objects.order_by("id").values()) == before


def test_returns_close_cases_with_attribution_in_the_window(
    people, agent, make_campaign, make_target, make_contact, agency_lyon
):
    lapse_detect(as_of=DETECTION)
    found = cases()
    campaign = make_campaign(agent, [agency_lyon])
    target = make_target(campaign, found["Aurélie"], agent=agent)
    # Aurélie: reached on 20 March, renews on 5 April
    call = make_contact(
        found["Aurélie"],
        agent=agent,
        outcome="accepted",
        at=paris(2026, 3, 20, 10, 0),
        campaign=campaign,
        target=target,
    )
    subscribe(people["aurelie"], "ABO-A2", datetime.date(2026, 4, 5), None)
    # Déborah: only an unanswered call; she travels again in March
    make_contact(found["Déborah"], agent=agent, outcome="unreachable", at=paris(2026, 3, 15, 9, 0))
    ride(people["deborah"], m2026_03=20)
    # Françoise: convinced at the counter on 12 March, travels again in March
    counter = make_contact(
        found["Françoise"],
        agent=agent,
        outcome="reached",
        at=paris(2026, 3, 12, 11, 0),
        channel="counter",
    )
    ride(people["francoise"], m2026_03=25)

    report = lapse_detect(as_of=datetime.date(2026, 4, 10))
    assert (report.won_back, report.attributed) == (3, 2)
    found = cases()
    aurelie = found["Aurélie"]
    assert aurelie.status == CaseStatus.WON_BACK
    assert aurelie.won_back_at == paris(2026, 4, 5, 12, 0)
    assert (aurelie.attributed_campaign, aurelie.attributed_touchpoint) == (
        campaign,
        call.touchpoint,
    )
    deborah = found["Déborah"]
    assert deborah.won_back_at == paris(2026, 3, 31, 12, 0)  # the month's last day
    assert deborah.attributed_touchpoint is None  # unreachable: nobody spoke to her
    francoise = found["Françoise"]
    assert francoise.attributed_touchpoint == counter.touchpoint
    assert francoise.attributed_campaign is None
    assert found["Gaëlle"].status == CaseStatus.OPEN

    again = lapse_detect(as_of=datetime.date(2026, 4, 10))
    assert (again.won_back, again.opened_total) == (0, 0)


def test_a_contact_older_than_the_window_is_not_attributed(people, agent, make_contact):
    lapse_detect(as_of=DETECTION)
    gaelle = cases()["Gaëlle"]
    make_contact(gaelle, agent=agent, outcome="accepted", at=paris(2026, 3, 11, 10, 0))
    ride(people["gaelle"], m2026_03=10, m2026_04=12, m2026_05=15, m2026_06=25)
    report = lapse_detect(as_of=datetime.date(2026, 7, 5))
    gaelle.refresh_from_db()
    assert gaelle.status == CaseStatus.WON_BACK and report.attributed == 0
    assert gaelle.won_back_at == paris(2026, 6, 30, 12, 0)  # 111 days after the call
    assert gaelle.attributed_touchpoint is None


def test_lost_again_after_coming_back_opens_a_new_case(people):
    lapse_detect(as_of=DETECTION)
    ride(people["deborah"], m2026_03=20, m2026_04=0)
    lapse_detect(as_of=datetime.date(2026, 4, 10))
    # May: the window February–April is low again, but began before her return
    assert lapse_detect(as_of=datetime.date(2026, 5, 10)).opened_total == 0
    # August: no trip since March, a loss after her return
    report = lapse_detect(as_of=datetime.date(2026, 8, 10))
    assert report.opened["inactive"] == 1
    deborah_cases = ReconquestCase.objects.filter(customer=people["deborah"]).order_by("id")
    assert [(c.status, c.reason) for c in deborah_cases] == [
        ("won_back", "ridership_drop"),
        ("open", "inactive"),
    ]
    assert deborah_cases[1].lost_since == month(2026, 4)
