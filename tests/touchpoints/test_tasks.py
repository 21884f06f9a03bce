"""The beat task requests_check_deadlines (called directly: tests/test_celery_worker.py
covers a real worker)."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from relation_client.touchpoints.models import Alert, AlertKind
from relation_client.touchpoints.tasks import requests_check_deadlines

pytestmark = pytest.mark.django_db


def test_run_twice_no_duplicate_alerts(log, helene, supervisor_lyon, open_request):
    log(
        helene,
        channel="email",
        reason="complaint",
        summary="Réclamation : contrôleur désagréable à Perrache",
        occurred_at=timezone.now() - datetime.timedelta(days=14),
    )
    soon = (open_request.deadline - datetime.timedelta(minutes=20)).isoformat()
    first = requests_check_deadlines(now=soon)
    second = requests_check_deadlines(now=soon)
    assert first == {"breached": 1, "deadline_soon_alerts": 1}
    assert second == {"breached": 0, "deadline_soon_alerts": 0}
    assert Alert.objects.filter(kind=AlertKind.BREACH).count() == 2  # assignee and supervisor
    assert Alert.objects.filter(kind=AlertKind.DEADLINE_SOON).count() == 1


def test_runs_without_arguments_as_beat_calls_it(db):
    assert requests_check_deadlines() == {"breached": 0, "deadline_soon_alerts": 0}


def test_beat_runs_it_every_five_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["requests-check-deadlines"]
    assert entry["task"] == requests_check_deadlines.name
    assert entry["schedule"].minute == set(range(0, 60, 5))
