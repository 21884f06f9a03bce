"""Writes of the loyalty cycle: a round's moves, and the records of each stage."""

from relation_client.cycle.services.records import (
    adapted_service_add,
    control_add,
    control_measure,
    controls_measure_open,
    decision_add,
    finding_add,
    item_end,
    privilege_action_add,
    written_commitment_add,
)
from relation_client.cycle.services.rounds import round_advance, round_close, round_start

__all__ = [
    "adapted_service_add",
    "control_add",
    "control_measure",
    "controls_measure_open",
    "decision_add",
    "finding_add",
    "item_end",
    "privilege_action_add",
    "round_advance",
    "round_close",
    "round_start",
    "written_commitment_add",
]
