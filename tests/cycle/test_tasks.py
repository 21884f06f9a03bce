"""The nightly measure task: a thin wrapper, safe to run twice."""

import pytest

from relation_client.cycle import services
from relation_client.cycle.models import Stage
from relation_client.cycle.tasks import cycle_measure_controls

pytestmark = pytest.mark.django_db


def test_cycle_measure_controls_twice(segment, steerer, bring_to):
    round = bring_to(segment, Stage.CONTROL)
    services.control_add(round=round, by=steerer, indicator="identification_rate", target=80)
    # no exchange logged in the last 30 days: nothing to measure, nothing stored
    assert cycle_measure_controls() == {"measured": 0}
    assert cycle_measure_controls("2026-03-02T10:00:00+01:00") == {"measured": 0}
    assert round.controls.get().measured_value is None
