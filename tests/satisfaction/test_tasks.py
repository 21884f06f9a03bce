"""The Celery tasks, called directly (tests/test_celery_worker.py covers a real worker):
each runs twice without doing anything twice."""

import pytest
from django.conf import settings

from relation_client.messaging.models import OutboundMessage
from relation_client.runs.models import BackgroundRun
from satisfaction.models import INDICATORS_RUN, ChannelSampling, GapSnapshot, SurveyInvitation
from satisfaction.tasks import compute_indicators, invite_after_touchpoint, send_invitation
from tests.satisfaction.conftest import paris

pytestmark = pytest.mark.django_db


def test_invite_twice_then_send(helene, make_touchpoint):
    ChannelSampling.objects.update(rate=1)
    touchpoint = make_touchpoint(helene)
    first = invite_after_touchpoint(touchpoint.pk)
    assert invite_after_touchpoint(touchpoint.pk) == first
    assert SurveyInvitation.objects.count() == 1
    # the mail was written to the outbox with the invitation: nothing left to hand over
    assert send_invitation(first) is False
    assert OutboundMessage.objects.filter(origin=f"satisfaction.invitation:{first}").count() == 1


def test_compute_twice(bulk_answers, helene, agent):
    bulk_answers(customer=helene, agent=agent, at=paris(2025, 11, 3, 9, 0), scores=[4, 5])
    first = compute_indicators()
    second = compute_indicators()
    assert first["gap_rows"] == second["gap_rows"] == GapSnapshot.objects.count()
    assert BackgroundRun.objects.filter(status="done").count() == 2


def test_compute_a_requested_run(db):
    run = BackgroundRun.objects.create(kind=INDICATORS_RUN)
    assert compute_indicators(run_id=run.pk)["run_id"] == run.pk
    run.refresh_from_db()
    assert run.status == "done"


def test_beat_recomputes_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["satisfaction-compute-indicators"]
    assert entry["task"] == compute_indicators.name
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {40}
