"""indicators_compute, the staff's side: incivility counts per agency and month, the
climate of exchanges, and the pulse shown only from 5 respondents."""

import datetime
from decimal import Decimal

import pytest

from satisfaction.models import (
    ExchangeClimate,
    IncivilityReport,
    PulseResponse,
    TeamSnapshot,
)
from satisfaction.services import indicators_compute
from tests.support.time import paris

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2025, 11, 1)


def team(agency=None, kind="month", period=NOVEMBER):
    return TeamSnapshot.objects.get(period_kind=kind, period=period, agency=agency)


def pulses(agency, count, *, engagement=4, workload=3, support=5):
    PulseResponse.objects.bulk_create(
        PulseResponse(
            agency=agency,
            period=NOVEMBER,
            engagement=engagement,
            workload=workload,
            support=support,
        )
        for _ in range(count)
    )


@pytest.mark.parametrize(("respondents", "shown"), [(4, False), (5, True)])
def test_pulse_only_from_five_respondents(agency_lyon, respondents, shown):
    pulses(agency_lyon, respondents)
    indicators_compute()
    if shown:
        lyon = team(agency_lyon)
        assert lyon.pulse_n == 5
        assert (lyon.pulse_engagement, lyon.pulse_workload, lyon.pulse_support) == (
            Decimal("4.00"),
            Decimal("3.00"),
            Decimal("5.00"),
        )
    else:
        # no row at all, or one that says nothing about these four people
        assert not TeamSnapshot.objects.filter(pulse_n__gt=0).exists()
        assert not TeamSnapshot.objects.exclude(pulse_engagement=None).exists()


def test_a_hidden_group_is_left_out_of_every_total(agency_lyon, agency_villeurbanne):
    pulses(agency_lyon, 4, engagement=1)  # hidden: four people
    pulses(agency_villeurbanne, 5, engagement=5)
    indicators_compute()
    # the network shows Villeurbanne's five alone: subtracting it gives Lyon nothing
    network = team()
    assert (network.pulse_n, network.pulse_engagement) == (5, Decimal("5.00"))
    year = team(kind="year", period=datetime.date(2025, 1, 1))
    assert (year.pulse_n, year.pulse_engagement) == (5, Decimal("5.00"))


def test_incivility_counts_per_agency_and_month(agent, agent_villeurbanne, agency_lyon):
    def report(who, direction, severity, day):
        IncivilityReport.objects.create(
            direction=direction,
            kind="insult",
            severity=severity,
            place="counter",
            description="Insultes au guichet après un refus de remboursement",
            occurred_at=paris(2025, 11, day, 10, 0),
            agency=who.agency,
            agent=who,
            reported_by=who,
        )

    report(agent, "against_staff", 3, 4)
    report(agent, "against_staff", 1, 18)
    report(agent, "by_staff", 1, 20)
    report(agent_villeurbanne, "against_staff", 4, 6)
    indicators_compute()
    lyon = team(agency_lyon)
    assert (
        lyon.incivility_against_staff_n,
        lyon.incivility_by_staff_n,
        lyon.incivility_severe_n,
    ) == (2, 1, 1)
    assert (team().incivility_against_staff_n, team().incivility_severe_n) == (3, 2)


def test_climate_mean(make_touchpoint, helene, agency_lyon):
    for rating in (2, 4, 5):
        touchpoint = make_touchpoint(helene, occurred_at=paris(2025, 11, 10, 9, 0))
        ExchangeClimate.objects.create(
            touchpoint=touchpoint,
            agent=touchpoint.agent,
            agency=agency_lyon,
            channel="counter",
            occurred_at=touchpoint.occurred_at,
            rating=rating,
        )
    indicators_compute()
    assert (team(agency_lyon).climate_n, team(agency_lyon).climate_mean) == (3, Decimal("3.67"))
