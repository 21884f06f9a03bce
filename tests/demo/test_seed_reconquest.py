"""demo_seed_reconquest: a story on the demo network, quickly, once."""

import pytest

from demo.seed.network import demo_seed
from demo.seed.reconquest import demo_seed_reconquest
from reconquete.models import (
    Campaign,
    CampaignStatus,
    CampaignTarget,
    ReconquestCase,
    ReconquestSnapshot,
    RidershipMonth,
)

pytestmark = pytest.mark.django_db


def test_the_demo_tells_a_story_and_runs_once(django_assert_max_num_queries):
    demo_seed(customers=60)
    report = demo_seed_reconquest()
    assert not report.skipped
    assert RidershipMonth.objects.values("month").distinct().count() == 24
    assert report.cases_opened > 0 and report.won_back > 0
    assert ReconquestCase.objects.filter(attributed_campaign__isnull=False).exists()
    assert Campaign.objects.count() == 3
    assert Campaign.objects.filter(status=CampaignStatus.ACTIVE).count() == 1
    assert CampaignTarget.objects.exclude(outcome="").exists()
    # Hélène is lost and waits on her usual contact's list
    helene = ReconquestCase.objects.get(
        customer__first_name="Hélène", customer__last_name="Dupont-Lefèvre", status="open"
    )
    assert CampaignTarget.objects.filter(case=helene, is_usual_contact=True, outcome="").exists()
    network = ReconquestSnapshot.objects.filter(
        agency=None, dimension="total", trips__isnull=False
    ).order_by("period")
    assert network.first().recovery > 90 and network.last().recovery < 85  # the drop
    with django_assert_max_num_queries(3):
        assert demo_seed_reconquest().skipped
