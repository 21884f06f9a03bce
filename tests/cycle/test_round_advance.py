"""round_advance: one stage at a time, forward only, with the two guards — and every
refusal says why. Each edge of the cycle is tried."""

import itertools

import pytest
from django.utils import timezone

from relation_client.cycle import services
from relation_client.cycle.models import STAGE_ORDER, Round, Stage, StageTransition
from socle.errors import DomainError

pytestmark = pytest.mark.django_db

NEXT = list(itertools.pairwise(STAGE_ORDER))
SKIPS = [(a, b) for a, b in itertools.combinations(STAGE_ORDER, 2) if (a, b) not in NEXT]
BACKWARDS = [(b, a) for a, b in itertools.combinations(STAGE_ORDER, 2)]


def _refused(round: Round, to_stage: str, by) -> DomainError:
    with pytest.raises(DomainError) as error:
        services.round_advance(round=round, to_stage=to_stage, by=by)
    round.refresh_from_db()
    return error.value


@pytest.mark.parametrize(("start", "target"), NEXT)
def test_every_next_stage_is_reachable_and_logged(segment, steerer, bring_to, start, target):
    round = bring_to(segment, start)
    if target == Stage.CONTROL:
        services.privilege_action_add(
            round=round,
            by=steerer,
            kind="offer",
            description="Carte seniors à -20 %",
            starts_on=timezone.localdate(),
        )
    if target == Stage.EVOLVE:
        services.control_add(
            round=round,
            by=steerer,
            indicator="manual",
            label="Satisfaction à l'accueil",
            target=8,
            measured_value=7,
        )
    moves_before = round.transitions.count()
    round = services.round_advance(round=round, to_stage=target, by=steerer)
    round.refresh_from_db()
    assert round.stage == target
    last = round.transitions.order_by("-at", "-id").first()
    assert (last.from_stage, last.to_stage, last.by) == (start, target, steerer)
    assert round.transitions.count() == moves_before + 1


@pytest.mark.parametrize(("start", "target"), SKIPS)
def test_skipping_a_stage_is_refused_and_names_the_next_one(
    segment, steerer, bring_to, start, target
):
    round = bring_to(segment, start)
    error = _refused(round, target, steerer)
    assert error.code == "skipped_stage"
    following = Stage(STAGE_ORDER[STAGE_ORDER.index(start) + 1]).label
    assert f"« {following} »" in str(error)
    assert round.stage == start


@pytest.mark.parametrize(("start", "target"), BACKWARDS)
def test_going_back_is_refused(segment, steerer, bring_to, start, target):
    round = bring_to(segment, start)
    error = _refused(round, target, steerer)
    assert error.code == "backwards"
    assert round.stage == start


@pytest.mark.parametrize("stage", STAGE_ORDER)
def test_moving_to_the_current_stage_is_refused(segment, steerer, bring_to, stage):
    round = bring_to(segment, stage)
    assert _refused(round, stage, steerer).code == "same_stage"


def test_an_unknown_stage_is_refused(segment, steerer, bring_to):
    round = bring_to(segment, Stage.IDENTIFY)
    assert _refused(round, "celebrer", steerer).code == "unknown_stage"


def test_no_controler_without_a_privilege_action(segment, steerer, bring_to):
    round = bring_to(segment, Stage.PRIVILEGE)
    # a written commitment alone is a promise, not an action: still refused
    services.written_commitment_add(
        round=round,
        by=steerer,
        title="Réponse sous 48 h aux demandes PMR",
        starts_on=timezone.localdate(),
    )
    error = _refused(round, Stage.CONTROL, steerer)
    assert error.code == "no_privilege_action"
    assert "Impossible de passer à Contrôler" in str(error)
    assert round.stage == Stage.PRIVILEGE
    assert not StageTransition.objects.filter(round=round, to_stage=Stage.CONTROL).exists()


def test_no_evoluer_without_a_measured_control(segment, steerer, bring_to):
    round = bring_to(segment, Stage.CONTROL)
    assert _refused(round, Stage.EVOLVE, steerer).code == "no_measured_control"
    # a control with a target but no value yet does not count
    control = services.control_add(
        round=round, by=steerer, indicator="manual", label="Appels décrochés (%)", target=90
    )
    error = _refused(round, Stage.EVOLVE, steerer)
    assert error.code == "no_measured_control"
    assert "aucun contrôle n'a encore de valeur mesurée" in str(error)
    services.control_measure(control=control, by=steerer, value=93)
    assert services.round_advance(round=round, to_stage=Stage.EVOLVE, by=steerer).stage == (
        Stage.EVOLVE
    )


def test_a_closed_round_does_not_move(segment, steerer, bring_to):
    round = bring_to(segment, Stage.EVOLVE)
    services.decision_add(
        round=round,
        by=steerer,
        decision="Étendre le guichet prioritaire",
        rationale="Cible dépassée",
        controls=list(round.controls.all()),
    )
    services.round_close(round=round, by=steerer)
    round.refresh_from_db()
    assert _refused(round, Stage.IDENTIFY, steerer).code == "round_closed"


def test_the_guard_reads_the_round_under_its_lock(segment, steerer, bring_to):
    """A stale copy in hand (someone moved the round meanwhile) is not trusted."""
    round = bring_to(segment, Stage.IDENTIFY)
    stale = Round.objects.get(pk=round.pk)
    services.round_advance(round=round, to_stage=Stage.ADAPT, by=steerer)
    # the stale copy still says Identifier: moving it "to Adapter" again is refused
    with pytest.raises(DomainError) as error:
        services.round_advance(round=stale, to_stage=Stage.ADAPT, by=steerer)
    assert error.value.code == "same_stage"
