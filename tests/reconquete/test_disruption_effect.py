"""« Effet des prévenances » (/reconquete/perturbations/): the contacted and held-out riders
of the disruptions compared on lapse and win-back, with the sample threshold; per line and
month the complaints, lapses and disruption hours clipped to the month. A hand-built case."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reconquete.models import CaseStatus
from reconquete.selectors import disruption_effect as effect
from relation_client.network.models import (
    ContactGroup,
    CustomerLine,
    Disruption,
    DisruptionContact,
    Line,
    RiderSource,
    RiderStrength,
    TransportMode,
)
from tests.factories import ReasonLookup, TouchpointFactory

PARIS = ZoneInfo("Europe/Paris")
URL = "/reconquete/perturbations/"
PERIOD = {"du": "2025-11", "au": "2025-12"}


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def t1(db):
    return Line.objects.create(gtfs_id="T1", short_name="T1", mode=TransportMode.TRAM)


@pytest.fixture
def c3(db):
    return Line.objects.create(gtfs_id="C3", short_name="C3", mode=TransportMode.BUS)


def disruption(line, starts_at, ends_at, header="Travaux cours Émile-Zola"):
    d = Disruption.objects.create(
        source="staff", starts_at=starts_at, ends_at=ends_at, header=header
    )
    d.lines.add(line)
    return d


def rides(customer, line):
    CustomerLine.objects.create(
        customer=customer,
        line=line,
        source=RiderSource.DECLARED,
        strength=RiderStrength.USUAL,
        seen_on=datetime.date(2025, 10, 1),
    )


PRENOMS = ["Amélie", "Benoît", "Céline", "Drôme", "Élodie", "François", "Gaëlle", "Hélène"]
PRENOMS += ["Inès", "Jérôme", "Kévin", "Léa", "Maëlys", "Noël"]


@pytest.fixture
def hand_built(make_customer, make_case, t1, agency_villeurbanne):
    """A T1 disruption on 12 November 2025: 10 riders contacted (2 lapsed after it, one of
    them won back since; one more lapsed before it: not counted), 4 held out (2 lapsed).
    Noise: a rider of Villeurbanne held out and lapsed, a rider of an October disruption."""
    d = disruption(t1, paris(2025, 11, 12, 7, 0), paris(2025, 11, 12, 9, 0))
    riders = [make_customer(name, "Côté-Lyonnais") for name in PRENOMS]
    contacted, held_out = riders[:10], riders[10:]
    for customer in riders:
        group = ContactGroup.CONTACTED if customer in contacted else ContactGroup.HELD_OUT
        DisruptionContact.objects.create(disruption=d, customer=customer, group=group)
    after = paris(2025, 11, 20, 3, 0)
    make_case(
        contacted[0],
        opened_at=after,
        status=CaseStatus.WON_BACK,
        won_back_at=paris(2025, 12, 15, 10, 0),
    )
    make_case(contacted[1], opened_at=after)
    make_case(contacted[2], opened_at=paris(2025, 11, 1, 3, 0))  # lost before the disruption
    make_case(held_out[0], opened_at=after)
    make_case(held_out[1], opened_at=paris(2025, 12, 2, 3, 0))
    # another agency's rider (held out, lapsed): the network's figure only
    elsewhere = make_customer("Anaïs", "Villeurbannaise", home_agency=agency_villeurbanne)
    DisruptionContact.objects.create(disruption=d, customer=elsewhere, group="held_out")
    make_case(elsewhere, opened_at=after)
    # an October disruption: outside the period
    october = disruption(t1, paris(2025, 10, 3, 7, 0), paris(2025, 10, 3, 8, 0))
    gone = make_customer("Öznur", "Hors-Période")
    DisruptionContact.objects.create(disruption=october, customer=gone, group="held_out")
    make_case(gone, opened_at=after)
    return {"contacted": contacted, "held_out": held_out}


def by_group(figures):
    return {g.group: g for g in figures}


def test_contacted_and_held_out_rates_match_the_hand_count(hand_built, agency_lyon):
    figures = by_group(
        effect.disruption_effect(
            first=datetime.date(2025, 11, 1),
            last=datetime.date(2025, 12, 1),
            agency_id=agency_lyon.pk,
            min_sample=4,
        )
    )
    contacted, held_out = figures["contacted"], figures["held_out"]
    assert (contacted.riders, contacted.lapse.hits) == (10, 2)
    assert (held_out.riders, held_out.lapse.hits) == (4, 2)
    assert contacted.lapse.percent == Decimal(20)  # 2 / 10
    assert held_out.lapse.percent == Decimal(50)  # 2 / 4
    # Wilson 95 % for 2 / 10: (2 + 1.92 ∓ 1.96 √(1.6 + 0.9604)) / 13.8416 → 5.67 % – 50.98 %
    low, high = contacted.lapse.interval
    assert round(low, 1) == Decimal("5.7") and round(high, 1) == Decimal("51.0")
    # won back: 1 of the 2 lapsed contacted, 0 of the 2 held out; 2 < 4: not shown
    assert (contacted.win_back.hits, contacted.win_back.n) == (1, 2)
    assert contacted.win_back.percent is None and contacted.win_back.interval is None
    # the network counts Villeurbanne's held-out rider as well
    network = by_group(
        effect.disruption_effect(
            first=datetime.date(2025, 11, 1), last=datetime.date(2025, 12, 1), agency_id=None
        )
    )
    assert (network["held_out"].riders, network["held_out"].lapse.hits) == (5, 3)


def test_below_the_threshold_the_page_hides_the_rates_and_says_why(
    hand_built, login, manager_lyon, django_assert_max_num_queries
):
    client = login(manager_lyon)
    with django_assert_max_num_queries(12):
        response = client.get(URL, PERIOD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "non affiché" in page
    assert "10 voyageurs, moins de 30" in page
    assert "20 %" not in page and "50 %" not in page


def test_at_the_threshold_the_page_shows_both_rates_with_their_intervals(
    hand_built, login, manager_lyon, monkeypatch
):
    monkeypatch.setattr(effect, "MIN_SAMPLE", 4)
    page = login(manager_lyon).get(URL, PERIOD).content.decode()
    assert '<span class="rate">20 %</span>' in page
    assert '<span class="rate">50 %</span>' in page
    assert "IC 95 % : 5,7 % à 51,0 %" in page


def test_disruption_hours_are_clipped_at_the_month_boundary(
    make_customer, make_case, t1, c3, login, director
):
    """30 Nov 22:00 → 1 Dec 02:00 Paris: 2 h in November and 2 h in December. Complaints
    are the complaint-reason touchpoints of the line's riders; lapses their cases."""
    disruption(t1, paris(2025, 11, 30, 22, 0), paris(2025, 12, 1, 2, 0))
    disruption(t1, paris(2025, 12, 10, 8, 0), paris(2025, 12, 10, 9, 30))
    renee = make_customer("Renée", "Ébrard")
    rides(renee, t1)
    zoe = make_customer("Zoé", "Mériaux")
    rides(zoe, c3)
    complaint = ReasonLookup(code="complaint")
    TouchpointFactory(customer=renee, reason=complaint, occurred_at=paris(2025, 12, 1, 8, 0))
    TouchpointFactory(customer=renee, reason=complaint, occurred_at=paris(2025, 11, 30, 23, 30))
    TouchpointFactory(customer=renee, occurred_at=paris(2025, 12, 3, 8, 0))  # information
    TouchpointFactory(customer=zoe, reason=complaint, occurred_at=paris(2025, 12, 4, 8, 0))
    make_case(renee, opened_at=paris(2025, 12, 20, 3, 0))

    rows = {
        (row.line, row.month.month): row
        for row in effect.line_months(
            first=datetime.date(2025, 11, 1), last=datetime.date(2025, 12, 1), agency_id=None
        )
    }
    assert rows[("T1", 11)].disruption_hours == Decimal("2.0")
    assert rows[("T1", 12)].disruption_hours == Decimal("3.5")  # 2 h + 1 h 30
    assert (rows[("T1", 11)].complaints, rows[("T1", 12)].complaints) == (1, 1)
    assert (rows[("T1", 11)].lapses, rows[("T1", 12)].lapses) == (0, 1)
    assert rows[("C3", 12)].complaints == 1 and rows[("C3", 12)].disruption_hours == 0

    page = login(director).get(URL, PERIOD).content.decode()
    assert 'data-line="T1" data-month="2025-11"' in page
    assert "3,5 h" in page


def test_an_agent_is_refused_and_the_dashboard_links_the_page_for_managers(
    login, agent, manager_lyon
):
    assert login(agent).get(URL).status_code == 403
    assert reverse("reconquete:disruption_effect") not in (
        login(agent).get(reverse("reconquete:dashboard")).content.decode()
    )
    client = login(manager_lyon)
    assert client.get(URL).status_code == 200
    dashboard = client.get(reverse("reconquete:dashboard")).content.decode()
    assert f'href="{URL}"' in dashboard and "Effet des prévenances" in dashboard


def test_a_reversed_period_is_refused_in_french(login, manager_lyon):
    response = login(manager_lyon).get(URL, {"du": "2025-12", "au": "2025-11"})
    assert response.status_code == 200
    assert "Le premier mois doit précéder le dernier." in response.content.decode()


def test_the_page_runs_as_many_queries_with_many_lines_as_with_one(
    hand_built, login, director, make_customer, make_case
):
    """The two aggregate statements whatever the lines, months and riders."""
    client = login(director)
    client.get(URL, PERIOD)  # warm: the session's staff and roles
    with CaptureQueriesContext(connection) as small:
        client.get(URL, PERIOD)
    complaint = ReasonLookup(code="complaint")
    for number in range(8):
        line = Line.objects.create(gtfs_id=f"L{number}", short_name=f"L{number}", mode=3)
        disruption(line, paris(2025, 11, 3 + number, 7, 0), paris(2025, 12, 1, 1, 0))
        rider = make_customer("Ophélie", f"Ligne-{number}")
        rides(rider, line)
        TouchpointFactory(customer=rider, reason=complaint, occurred_at=paris(2025, 11, 20, 9))
        make_case(rider, opened_at=paris(2025, 12, 5, 3, 0))
    with CaptureQueriesContext(connection) as large:
        page = client.get(URL, PERIOD).content.decode()
    assert 'data-line="L7" data-month="2025-12"' in page
    print(f"effect page: {len(small)} queries, {len(large)} with 9 lines")
    assert len(large) == len(small) <= 10, [q["sql"][:80] for q in large]
