"""The manager's buttons: recompute the indicators (progress bar), detect now."""

from unittest import mock

import pytest
from django.urls import reverse

from reconquete.models import INDICATORS_RUN
from relation_client.runs.models import BackgroundRun, RunStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, manager_lyon):
    client.force_login(manager_lyon.user)
    return client


def test_a_recompute_is_queued_after_commit_and_shown_as_a_progress_bar(
    manager_client, django_capture_on_commit_callbacks
):
    queue = mock.patch("reconquete.tasks.compute_indicators.apply_async")
    with queue as queued, django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("reconquete:recompute"), HTTP_HX_REQUEST="true")
    run = BackgroundRun.objects.get()
    queued.assert_called_once_with(kwargs={"run_id": run.pk}, task_id=run.task_id)
    content = response.content.decode()
    assert 'role="progressbar"' in content and 'aria-valuenow="0"' in content
    assert reverse("reconquete:recompute_progress", args=[run.pk]) in content  # polls


def test_pressing_twice_follows_the_same_run(manager_client):
    with mock.patch("reconquete.tasks.compute_indicators.apply_async"):
        manager_client.post(reverse("reconquete:recompute"))
        manager_client.post(reverse("reconquete:recompute"))
    assert BackgroundRun.objects.count() == 1


def test_progress_reads_the_worker_s_steps_then_stops_polling(manager_client):
    run = BackgroundRun.objects.create(
        kind=INDICATORS_RUN, task_id="run-1", status=RunStatus.RUNNING, progress=25
    )
    url = reverse("reconquete:recompute_progress", args=[run.pk])
    running = manager_client.get(url).content.decode()
    assert 'aria-valuenow="25"' in running and "hx-trigger" in running
    run.status = RunStatus.DONE
    run.save()
    done = manager_client.get(url).content.decode()
    assert "Indicateurs recalculés." in done and "hx-trigger" not in done


def test_detect_now_queues_the_nightly_task(manager_client, django_capture_on_commit_callbacks):
    queue = mock.patch("reconquete.tasks.detect_lapses.delay")
    with queue as queued, django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("reconquete:detect"))
    assert response.status_code == 302
    queued.assert_called_once_with()


def test_an_agent_must_not_get_in(agent_client):
    with mock.patch("reconquete.tasks.compute_indicators.apply_async") as queued:
        assert agent_client.post(reverse("reconquete:recompute")).status_code == 403
        assert agent_client.post(reverse("reconquete:detect")).status_code == 403
    queued.assert_not_called()
    run = BackgroundRun.objects.create(kind=INDICATORS_RUN, task_id="run-2")
    assert (
        agent_client.get(reverse("reconquete:recompute_progress", args=[run.pk])).status_code == 403
    )


def test_the_dashboard_follows_the_run_under_way(manager_client):
    run = BackgroundRun.objects.create(
        kind=INDICATORS_RUN, status=RunStatus.RUNNING, progress=60, task_id="run-3"
    )
    content = manager_client.get(reverse("reconquete:dashboard")).content.decode()
    assert 'aria-valuenow="60"' in content
    assert reverse("reconquete:recompute_progress", args=[run.pk]) in content
    BackgroundRun.objects.create(kind="satisfaction_indicators", status=RunStatus.QUEUED)
    run.status = RunStatus.DONE
    run.save()
    assert (
        'role="progressbar"'
        not in manager_client.get(reverse("reconquete:dashboard")).content.decode()
    )


def test_another_kind_s_run_is_not_followed_here(manager_client):
    other = BackgroundRun.objects.create(kind="satisfaction_indicators")
    url = reverse("reconquete:recompute_progress", args=[other.pk])
    assert manager_client.get(url).status_code == 404
