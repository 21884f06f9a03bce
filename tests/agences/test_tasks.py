"""The compliance task: a thin wrapper, idempotent."""

import datetime

import pytest

from agences.models import PartnerComplianceMonth
from relation_client.partners.tasks import partner_compliance_recompute
from tests.factories import PartnerCommitmentFactory
from tests.support.time import paris

pytestmark = pytest.mark.django_db


def test_partner_compliance_recompute_twice(objets_trouves, escalate):
    PartnerCommitmentFactory(partner=objets_trouves, starts_on=datetime.date(2025, 1, 1))
    escalate(objets_trouves, paris(2026, 3, 2, 10), answered=paris(2026, 3, 2, 20))
    assert partner_compliance_recompute("2026-03-15") == {"2026-03-01": 1}
    assert partner_compliance_recompute("2026-03-01") == {"2026-03-01": 1}
    row = PartnerComplianceMonth.objects.get()
    assert (row.escalated, row.on_time) == (1, 1)
    # by default: the previous and the current month
    assert len(partner_compliance_recompute()) == 2
