"""round_close: Évoluer closes the round and the segment goes round again at Identifier,
carrying the open items over."""

import datetime

import pytest
from django.utils import timezone

from relation_client.cycle import services
from relation_client.cycle.models import (
    STAGE_ORDER,
    AdaptedService,
    Control,
    PrivilegeAction,
    Round,
    Stage,
    WrittenCommitment,
)
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


def _decide(round, by):
    return services.decision_add(
        round=round,
        by=by,
        decision="Généraliser l'accompagnement en station",
        rationale="Les clients servis vite sont plus nombreux qu'attendu.",
        controls=list(round.controls.filter(measured_value__isnull=False)),
    )


@pytest.mark.parametrize("stage", STAGE_ORDER[:-1])
def test_only_evoluer_closes_a_round(segment, steerer, bring_to, stage):
    round = bring_to(segment, stage)
    with pytest.raises(DomainError) as error:
        services.round_close(round=round, by=steerer)
    assert error.value.code == "not_evolve"
    assert Round.objects.filter(segment=segment).count() == 1


def test_closing_needs_a_decision(segment, steerer, bring_to):
    round = bring_to(segment, Stage.EVOLVE)
    with pytest.raises(DomainError) as error:
        services.round_close(round=round, by=steerer)
    assert error.value.code == "no_decision"


def test_closing_starts_the_next_round_at_identifier(
    segment, steerer, manager_villeurbanne, bring_to
):
    round = bring_to(segment, Stage.EVOLVE)
    _decide(round, steerer)
    following = services.round_close(round=round, by=manager_villeurbanne)
    round.refresh_from_db()
    assert round.closed_by == manager_villeurbanne and round.closed_at is not None
    assert round.stage == Stage.EVOLVE  # the closed round keeps its last stage
    assert (following.number, following.stage, following.previous) == (2, Stage.IDENTIFY, round)
    [move] = following.transitions.all()
    assert (move.from_stage, move.to_stage, move.by) == (
        Stage.EVOLVE,
        Stage.IDENTIFY,
        manager_villeurbanne,
    )
    with pytest.raises(DomainError) as error:
        services.round_close(round=round, by=steerer)
    assert error.value.code == "round_closed"


def test_open_items_are_carried_over_and_ended_ones_stay(segment, steerer, bring_to):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    round = bring_to(segment, Stage.PRIVILEGE)
    lasting = services.adapted_service_add(
        round=round,
        by=steerer,
        what="Rampe d'accès déployée à la demande",
        for_whom="Clients en fauteuil roulant",
        starts_on=today - datetime.timedelta(days=60),
    )
    services.adapted_service_add(
        round=round,
        by=steerer,
        what="Navette pendant les travaux du métro B",
        for_whom="Riverains de la ligne B",
        starts_on=today - datetime.timedelta(days=60),
        ends_on=yesterday,
    )
    until_next_month = services.privilege_action_add(
        round=round,
        by=steerer,
        kind="dedicated_contact",
        description="Interlocuteur dédié PMR",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
    )
    ended_action = services.privilege_action_add(
        round=round,
        by=steerer,
        kind="offer",
        description="Premier mois offert",
        starts_on=today - datetime.timedelta(days=10),
    )
    commitment = services.written_commitment_add(
        round=round,
        by=steerer,
        title="Réponse sous 48 h",
        starts_on=today,
    )
    services.round_advance(round=round, to_stage=Stage.CONTROL, by=steerer)
    measured = services.control_add(
        round=round,
        by=steerer,
        indicator="manual",
        label="Demandes PMR répondues sous 48 h (%)",
        target=90,
        measured_value=94,
        is_key=True,
    )
    waiting = services.control_add(
        round=round,
        by=steerer,
        indicator="requests_median_delay",
        target=24,
        action=until_next_month,
    )
    services.round_advance(round=round, to_stage=Stage.EVOLVE, by=steerer)
    services.item_end(item=ended_action, by=steerer)
    _decide(round, steerer)

    following = services.round_close(round=round, by=steerer)

    [service] = AdaptedService.objects.filter(round=following)
    assert (service.what, service.carried_from) == (lasting.what, lasting)
    [action] = PrivilegeAction.objects.filter(round=following)
    assert (action.description, action.ends_on, action.carried_from) == (
        until_next_month.description,
        until_next_month.ends_on,
        until_next_month,
    )
    [carried_commitment] = WrittenCommitment.objects.filter(round=following)
    assert carried_commitment.carried_from == commitment
    [control] = Control.objects.filter(round=following)
    assert control.carried_from == waiting and control.measured_value is None
    assert control.action == action  # points at the carried copy, not the closed round's
    assert not Control.objects.filter(round=following, carried_from=measured).exists()
    # the closed round's own record is untouched
    assert round.adapted_services.count() == 2 and round.controls.count() == 2
    assert set(following.findings.all()) == set()  # a new round audits afresh


def test_a_closed_round_takes_no_more_records(segment, steerer, bring_to):
    round = bring_to(segment, Stage.EVOLVE)
    _decide(round, steerer)
    services.round_close(round=round, by=steerer)
    with pytest.raises(DomainError) as error:
        services.finding_add(round=round, by=steerer, finding="Trop tard", source="survey")
    assert error.value.code == "round_closed"
