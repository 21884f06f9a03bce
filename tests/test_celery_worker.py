"""A real Celery worker over the real Redis broker, not eager mode."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from relation_client.celery import app
from relation_client.tasks import HEARTBEAT_KEY, heartbeat

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def celery_worker_process():
    env = dict(os.environ, DATABASE_URL=settings.DATABASE_URL, REDIS_URL=settings.REDIS_URL)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "relation_client",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield worker
    worker.terminate()
    worker.wait(timeout=30)


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
