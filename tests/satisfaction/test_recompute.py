"""Recomputing from the dashboard (satisfaction:recompute) and watching its progress."""

import pytest
from django.urls import reverse

from relation_client.runs.models import BackgroundRun
from satisfaction.services import recompute_request

pytestmark = pytest.mark.django_db
URL = reverse("satisfaction:recompute")


@pytest.fixture
def queued(monkeypatch):
    runs = []
    monkeypatch.setattr(
        "satisfaction.tasks.compute_indicators.apply_async",
        lambda kwargs, task_id: runs.append(kwargs["run_id"]),
    )
    return runs


def test_a_manager_starts_a_recompute(
    login, manager_lyon, queued, django_capture_on_commit_callbacks
):
    client = login(manager_lyon)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, headers={"HX-Request": "true"})
    run = BackgroundRun.objects.get()
    assert queued == [run.pk]
    assert run.requested_by == manager_lyon
    assert "Recalcul en attente" in response.content.decode()
    assert f'hx-get="{reverse("satisfaction:recompute_progress", args=[run.pk])}"' in (
        response.content.decode()
    )


def test_two_clicks_share_one_run(manager_lyon, supervisor_lyon, queued):
    first = recompute_request(by=manager_lyon)
    assert recompute_request(by=supervisor_lyon) == first
    assert BackgroundRun.objects.count() == 1


def test_an_agent_does_not_get_in(agent_client, queued):
    assert agent_client.post(URL).status_code == 403
    assert not BackgroundRun.objects.exists()


def test_the_progress_bar(login, manager_lyon, queued):
    run = recompute_request(by=manager_lyon)
    BackgroundRun.objects.filter(pk=run.pk).update(
        status="running", progress=40, step="Écart de satisfaction"
    )
    page = login(manager_lyon).get(reverse("satisfaction:recompute_progress", args=[run.pk]))
    content = page.content.decode()
    assert 'aria-valuenow="40"' in content and "Écart de satisfaction" in content
    assert 'hx-trigger="every 2s"' in content
    BackgroundRun.objects.filter(pk=run.pk).update(status="done", progress=100)
    content = (
        login(manager_lyon)
        .get(reverse("satisfaction:recompute_progress", args=[run.pk]))
        .content.decode()
    )
    assert "Indicateurs recalculés." in content and "every 2s" not in content


def test_an_unknown_run(login, manager_lyon):
    response = login(manager_lyon).get(reverse("satisfaction:recompute_progress", args=[4242]))
    assert response.status_code == 404


def test_an_agent_does_not_follow_a_recompute(agent_client, manager_lyon, queued):
    run = recompute_request(by=manager_lyon)
    response = agent_client.get(reverse("satisfaction:recompute_progress", args=[run.pk]))
    assert response.status_code == 403


def test_the_dashboard_follows_the_run_under_way(login, manager_lyon, queued):
    run = recompute_request(by=manager_lyon)
    content = login(manager_lyon).get(reverse("satisfaction:dashboard")).content.decode()
    assert "Recalcul en attente" in content
    assert reverse("satisfaction:recompute_progress", args=[run.pk]) in content
