"""Reads of the loyalty cycle: the board, and one round's full record with its history."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q

from relation_client.customers.models import Segment
from relation_client.cycle.models import (
    STAGE_ORDER,
    AuditFinding,
    Control,
    Decision,
    Round,
    Stage,
    StageTransition,
    WrittenCommitment,
)

# --- The board ---------------------------------------------------------------------------


@dataclass
class BoardCard:
    round: Round
    key_control: Control | None
    controls: int
    measured: int
    moved_at: datetime.datetime


@dataclass
class BoardRow:
    segment: Segment
    card: BoardCard | None
    # one cell per stage, in cycle order: the card sits in its round's stage
    cells: list[BoardCard | None]


@dataclass
class Board:
    stages: list[tuple[str, str]]
    rows: list[BoardRow]

    @property
    def per_stage(self) -> list[int]:
        return [sum(1 for row in self.rows if row.cells[i]) for i in range(len(self.stages))]


def cycle_board() -> Board:
    """Segments by priority, each with its round in progress and the key control (the one
    marked key, else the first recorded). Three queries whatever the number of segments:
    the segments, their open rounds (with the time of their last move), those rounds'
    controls."""
    controls = Control.objects.order_by("-is_key", "recorded_at", "id")
    open_rounds = (
        Round.objects.filter(closed_at__isnull=True)
        .annotate(moved_at=Max("transitions__at"))
        .prefetch_related(Prefetch("controls", queryset=controls, to_attr="board_controls"))
    )
    segments = Segment.objects.order_by("priority", "name").prefetch_related(
        Prefetch("cycle_rounds", queryset=open_rounds, to_attr="open_rounds")
    )
    rows = []
    for segment in segments:
        card = None
        if segment.open_rounds:
            round = segment.open_rounds[0]
            round.segment = segment  # already loaded: the card links and titles use it
            card = BoardCard(
                round=round,
                key_control=round.board_controls[0] if round.board_controls else None,
                controls=len(round.board_controls),
                measured=sum(1 for c in round.board_controls if c.is_measured),
                moved_at=round.moved_at or round.started_at,
            )
        cells = [card if card and card.round.stage == stage else None for stage in STAGE_ORDER]
        rows.append(BoardRow(segment=segment, card=card, cells=cells))
    return Board(stages=list(Stage.choices), rows=rows)


# --- One round ---------------------------------------------------------------------------


@dataclass
class RoundPage:
    round: Round
    findings: list[AuditFinding]
    adapted_services: list
    privilege_actions: list
    commitments: list[WrittenCommitment]
    controls: list[Control]
    decisions: list[Decision]
    transitions: list[StageTransition]
    history: list[Round]


def round_page(*, pk: int) -> RoundPage | None:
    """A round with every record of every stage, its moves, and the segment's other
    rounds (newest first, with how many decisions and measured controls each holds)."""
    round = (
        Round.objects.filter(pk=pk)
        .select_related("segment", "started_by", "closed_by", "previous")
        .prefetch_related(
            Prefetch(
                "findings",
                queryset=AuditFinding.objects.select_related("recorded_by").prefetch_related(
                    "partners"
                ),
            ),
            "adapted_services",
            "privilege_actions",
            Prefetch(
                "commitments",
                queryset=WrittenCommitment.objects.select_related("partner", "partner_commitment"),
            ),
            Prefetch(
                "controls",
                queryset=Control.objects.select_related("measured_by", "action").order_by(
                    "-is_key", "recorded_at", "id"
                ),
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("recorded_by").prefetch_related(
                    "controls"
                ),
            ),
            Prefetch("transitions", queryset=StageTransition.objects.select_related("by")),
        )
        .first()
    )
    if round is None:
        return None
    history = list(
        Round.objects.filter(segment_id=round.segment_id)
        .exclude(pk=round.pk)
        .annotate(
            decision_count=Count("decisions", distinct=True),
            measured_count=Count(
                "controls", filter=Q(controls__measured_value__isnull=False), distinct=True
            ),
        )
        .order_by("-number")
    )
    return RoundPage(
        round=round,
        findings=list(round.findings.all()),
        adapted_services=list(round.adapted_services.all()),
        privilege_actions=list(round.privilege_actions.all()),
        commitments=list(round.commitments.all()),
        controls=list(round.controls.all()),
        decisions=list(round.decisions.all()),
        transitions=list(round.transitions.all()),
        history=history,
    )
