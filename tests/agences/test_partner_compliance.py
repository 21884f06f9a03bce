"""partner_compliance_compute: escalated requests against measured commitments, per
partner and Paris month — computed by hand on a small set."""

import datetime
from decimal import Decimal

import pytest

from agences.models import PartnerCommitment, PartnerComplianceMonth
from relation_client.partners.services import partner_compliance_compute
from tests.factories import PartnerCommitmentFactory
from tests.support.time import paris

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)


@pytest.fixture
def commitments(objets_trouves, taxis_pmr):
    return {
        "48h": PartnerCommitmentFactory(partner=objets_trouves),
        "unmeasured": PartnerCommitment.objects.create(
            partner=objets_trouves,
            party="operator",
            title="Transmettre un dossier complet",
            starts_on=datetime.date(2026, 1, 1),
        ),
        "taxis": PartnerCommitment.objects.create(
            partner=taxis_pmr,
            party="partner",
            title="Rappeler sous 24 h",
            measure="answer_delay",
            max_hours=24,
            target_percent=90,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 2, 28),
        ),
    }


@pytest.fixture
def march_requests(objets_trouves, taxis_pmr, escalate):
    escalate(objets_trouves, paris(2026, 3, 2, 10), answered=paris(2026, 3, 2, 20))  # 10 h
    escalate(objets_trouves, paris(2026, 3, 5, 9), answered=paris(2026, 3, 7, 8))  # 47 h
    escalate(objets_trouves, paris(2026, 3, 10, 9), answered=paris(2026, 3, 12, 11))  # 50 h
    escalate(objets_trouves, paris(2026, 3, 20, 9), closed=paris(2026, 3, 21, 9))  # 24 h
    escalate(objets_trouves, paris(2026, 3, 25, 9))  # never answered
    # the last half hour of March in Paris is still March (22:30 UTC)
    escalate(objets_trouves, paris(2026, 3, 31, 23, 30), answered=paris(2026, 4, 1, 1, 30))  # 2 h
    # the first half hour of April in Paris is April, though still March 31 in UTC
    escalate(objets_trouves, paris(2026, 4, 1, 0, 30), answered=paris(2026, 4, 1, 2))
    escalate(objets_trouves, paris(2026, 2, 27, 9), answered=paris(2026, 2, 27, 10))
    escalate(taxis_pmr, paris(2026, 3, 10, 9), answered=paris(2026, 3, 10, 10))


def test_march_by_hand(commitments, march_requests):
    written = partner_compliance_compute(month=MARCH, now=paris(2026, 4, 10, 12))
    # one row: the taxis' commitment ended in February, the other one is not measured
    assert written == 1
    row = PartnerComplianceMonth.objects.get()
    assert row.commitment == commitments["48h"] and row.month == MARCH
    # escalated in March: 10 h, 47 h, 50 h, closed after 24 h, unanswered, 2 h
    assert (row.escalated, row.on_time, row.late, row.pending) == (6, 4, 2, 0)
    assert row.rate == 67 and row.met is False  # 4/6 against 80 %
    assert row.median_hours == Decimal("24.0")  # of 2, 10, 24, 47, 50
    assert (row.max_hours, row.target_percent) == (48, 80)


def test_an_unanswered_request_within_its_delay_is_pending(commitments, march_requests):
    # on March 26 at 9:00 the request escalated on the 25th has had 24 of its 48 hours
    partner_compliance_compute(month=MARCH, now=paris(2026, 3, 26, 9))
    row = PartnerComplianceMonth.objects.get(commitment=commitments["48h"])
    assert (row.late, row.pending) == (1, 1)


def test_april_counts_the_request_escalated_after_midnight_paris(commitments, march_requests):
    partner_compliance_compute(month=datetime.date(2026, 4, 15), now=paris(2026, 4, 10, 12))
    row = PartnerComplianceMonth.objects.get(commitment=commitments["48h"])
    assert row.month == datetime.date(2026, 4, 1)
    assert (row.escalated, row.on_time, row.rate, row.met) == (1, 1, 100, True)


def test_a_month_with_nothing_escalated_has_nothing_to_measure(commitments):
    partner_compliance_compute(month=MARCH, now=paris(2026, 4, 10, 12))
    row = PartnerComplianceMonth.objects.get(commitment=commitments["48h"])
    assert (row.escalated, row.rate, row.met, row.median_hours) == (0, None, None, None)


def test_recomputing_replaces_the_snapshot(commitments, march_requests, escalate, objets_trouves):
    now = paris(2026, 4, 10, 12)
    partner_compliance_compute(month=MARCH, now=now)
    partner_compliance_compute(month=MARCH, now=now)
    assert PartnerComplianceMonth.objects.count() == 1
    escalate(objets_trouves, paris(2026, 3, 28, 9), answered=paris(2026, 3, 28, 10))
    partner_compliance_compute(month=MARCH, now=now)
    row = PartnerComplianceMonth.objects.get()
    assert (row.escalated, row.on_time) == (7, 5)


def test_a_commitment_no_longer_in_force_leaves_no_row(commitments, march_requests):
    taxis = commitments["taxis"]
    taxis.ends_on = None
    taxis.save()
    now = paris(2026, 4, 10, 12)
    assert partner_compliance_compute(month=MARCH, now=now) == 2
    taxis.ends_on = datetime.date(2026, 2, 28)
    taxis.save()
    partner_compliance_compute(month=MARCH, now=now)
    assert not PartnerComplianceMonth.objects.filter(commitment=taxis).exists()
