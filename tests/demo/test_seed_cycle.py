"""demo_seed_cycle: every segment gets a believable round in progress; idempotent."""

import pytest
from django.contrib.auth import get_user_model

from agences.models import (
    AgentSkill,
    PartnerComplianceMonth,
    PartnerMember,
    TrainingAttendance,
    TrainingSession,
)
from demo.seed.cycle import demo_seed_cycle
from demo.seed.network import DEMO_PASSWORD, demo_seed
from relation_client.customers.models import Segment
from relation_client.cycle.models import Round, StageTransition
from relation_client.touchpoints.models import Request

pytestmark = pytest.mark.django_db


def _counts():
    return [
        model.objects.count()
        for model in (
            Round,
            StageTransition,
            Request,
            PartnerComplianceMonth,
            TrainingSession,
            TrainingAttendance,
            AgentSkill,
            PartnerMember,
        )
    ]


def test_demo_seed_cycle_is_idempotent_and_believable():
    demo_seed(customers=40)
    report = demo_seed_cycle()
    assert report.rounds >= Segment.objects.count()
    first = _counts()
    again = demo_seed_cycle()
    assert (again.rounds, again.escalated, again.sessions, again.skills) == (0, 0, 0, 0)
    assert _counts() == first

    open_rounds = Round.objects.filter(closed_at__isnull=True)
    assert open_rounds.count() == Segment.objects.count()  # every segment is under way
    assert open_rounds.values("stage").distinct().count() >= 4  # at various stages
    assert Round.objects.filter(closed_at__isnull=False).exists()  # and some history
    assert PartnerComplianceMonth.objects.filter(escalated__gt=0).exists()
    assert TrainingSession.objects.filter(attendances__partner_member__isnull=False).exists()
    partner = get_user_model().objects.get(username="partenaire.objets")
    assert partner.check_password(DEMO_PASSWORD) and partner.partner_member.partner.name
