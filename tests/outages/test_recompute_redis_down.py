"""The recompute button with Redis down: the click succeeds, and the run the broker did
not take is failed at once with a reason, not left waiting for an hour."""

import pytest
from django.urls import reverse

from relation_client.runs.models import BackgroundRun, RunStatus
from satisfaction.models import INDICATORS_RUN


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_run_the_broker_did_not_take_is_failed_with_its_reason(own_redis, login, manager_lyon):
    client = login(manager_lyon)
    own_redis.stop()
    response = client.post(reverse("satisfaction:recompute"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    run = BackgroundRun.objects.get(kind=INDICATORS_RUN)
    assert run.status == RunStatus.FAILED
    assert run.error.startswith("Le recalcul n'a pas pu être confié")
    progress = client.get(reverse("satisfaction:recompute_progress", args=[run.pk]))
    assert "file d&#x27;attente injoignable" in progress.content.decode()

    own_redis.start()
    client.post(reverse("satisfaction:recompute"), headers={"HX-Request": "true"})
    fresh = BackgroundRun.objects.exclude(pk=run.pk).get(kind=INDICATORS_RUN)
    assert fresh.status == RunStatus.QUEUED
    assert own_redis.queued() == ["satisfaction.tasks.compute_indicators"]
