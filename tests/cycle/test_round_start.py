"""round_start: a segment's round begins at Identifier, one at a time."""

import pytest

from relation_client.cycle import services
from relation_client.cycle.models import Round, Stage
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


def test_a_round_starts_at_identifier_and_logs_who_started_it(segment, steerer):
    round = services.round_start(segment=segment, by=steerer)
    assert (round.number, round.stage, round.is_open) == (1, Stage.IDENTIFY, True)
    assert round.started_by == steerer
    [move] = round.transitions.all()
    assert (move.from_stage, move.to_stage, move.by) == ("", Stage.IDENTIFY, steerer)
    assert move.at == round.started_at


def test_a_second_round_while_one_runs_is_refused(segment, steerer):
    services.round_start(segment=segment, by=steerer)
    with pytest.raises(DomainError) as error:
        services.round_start(segment=segment, by=steerer)
    assert error.value.code == "already_running"
    assert Round.objects.filter(segment=segment).count() == 1


def test_segments_run_their_rounds_independently(segment, steerer):
    from relation_client.customers.models import Segment

    seniors = Segment.objects.get(name="Seniors")
    services.round_start(segment=segment, by=steerer)
    other = services.round_start(segment=seniors, by=steerer)
    assert other.number == 1
