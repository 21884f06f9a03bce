"""Cycle fixtures: segments from the reference list, rounds brought to a stage the real
way (through the services), the people who steer or only read the cycle."""

import pytest
from django.utils import timezone

from relation_client.customers.models import Segment
from relation_client.cycle import services
from relation_client.cycle.models import STAGE_ORDER, Round, Stage


@pytest.fixture
def segment(db) -> Segment:
    return Segment.objects.get(name="Personnes à mobilité réduite")


@pytest.fixture
def steerer(manager_lyon):
    """A manager: reads and steers the cycle."""
    return manager_lyon


def bring_round_to(segment: Segment, stage: str, *, by) -> Round:
    """A round started and moved to `stage`, with the least each move needs — a privilege
    action before Contrôler, a measured control before Évoluer."""
    round = services.round_start(segment=segment, by=by)
    for target in STAGE_ORDER[1 : STAGE_ORDER.index(stage) + 1]:
        if target == Stage.CONTROL:
            services.privilege_action_add(
                round=round,
                by=by,
                kind="priority_handling",
                description="Traitement prioritaire des demandes au guichet",
                starts_on=timezone.localdate(),
            )
        if target == Stage.EVOLVE:
            services.control_add(
                round=round,
                by=by,
                indicator="manual",
                label="Clients servis en moins de 5 minutes (%)",
                target=80,
                measured_value=85,
                is_key=True,
            )
        round = services.round_advance(round=round, to_stage=target, by=by)
    return round


@pytest.fixture
def bring_to(steerer):
    """bring_to(segment, stage): bring_round_to, steered by the manager."""

    def bring(segment: Segment, stage: str, *, by=None) -> Round:
        return bring_round_to(segment, stage, by=by or steerer)

    return bring
