"""A real Celery worker over the real Redis broker, not eager mode, on the test database
(tests/support/worker.py)."""

import pytest
from django.core.cache import cache

from relation_client.celery import app
from relation_client.tasks import HEARTBEAT_KEY, heartbeat


@pytest.mark.celery_worker
def test_real_worker_runs_a_task_over_redis(celery_worker_process):
    assert not app.conf.task_always_eager
    cache.delete(HEARTBEAT_KEY)
    result = heartbeat.delay()
    stamp = result.get(timeout=60)  # blocks on the Redis result backend
    assert result.successful()
    assert cache.get(HEARTBEAT_KEY) == stamp
    assert celery_worker_process.poll() is None


def test_celery_configuration_is_json_and_late_ack():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert "heartbeat" in app.conf.beat_schedule
