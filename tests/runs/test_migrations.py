"""The recompute runs of both satellites survive the move to BackgroundRun: the database
is migrated back to the old tables, filled, then migrated forward again."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from relation_client.runs.models import BackgroundRun

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OLD = [("reconquete", "0004_partition_ridership"), ("satisfaction", "0004_default_surveys")]
NEW = [("reconquete", "0006_delete_recomputerun"), ("satisfaction", "0006_delete_recomputerun")]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.fixture
def old_tables():
    executor = _migrate(OLD)
    yield executor.loader.project_state(OLD).apps
    _migrate(executor.loader.graph.leaf_nodes())


def _aged(model, hours: int, **fields):
    row = model.objects.create(**fields)
    model.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=hours)
    )
    return row


def test_old_runs_are_copied_with_one_status_vocabulary(old_tables, manager_lyon):
    Reconquest = old_tables.get_model("reconquete", "RecomputeRun")
    Satisfaction = old_tables.get_model("satisfaction", "RecomputeRun")
    _aged(
        Reconquest,
        30,
        task_id="fini",
        status="done",
        progress=100,
        rows=420,
        period_from=datetime.date(2024, 4, 1),
        period_to=datetime.date(2026, 3, 1),
        requested_by_id=manager_lyon.pk,
        finished_at=timezone.now(),
    )
    _aged(Reconquest, 20, task_id="perdu", status="pending")
    _aged(Reconquest, 0, task_id="attente", status="pending")
    _aged(Satisfaction, 10, status="failed", error="division by zero", rows=0)
    _aged(Satisfaction, 0, status="running", progress=40, step="Taux de réponse")

    _migrate(NEW)

    reconquest = {r.task_id: r for r in BackgroundRun.objects.filter(kind="reconquest_indicators")}
    assert set(reconquest) == {"fini", "perdu", "attente"}
    done = reconquest["fini"]
    assert (done.status, done.progress, done.rows, done.requested_by_id) == (
        "done",
        100,
        420,
        manager_lyon.pk,
    )
    assert done.params == {"period_from": "2024-04-01", "period_to": "2026-03-01"}
    assert timezone.now() - done.created_at > datetime.timedelta(hours=29)  # its own date
    assert reconquest["attente"].status == "queued"  # pending → queued
    assert reconquest["perdu"].status == "failed"  # one active run per kind
    assert reconquest["perdu"].error.startswith("Abandonné")

    satisfaction = BackgroundRun.objects.filter(kind="satisfaction_indicators").order_by(
        "created_at"
    )
    assert [(r.status, r.progress, r.step, r.error) for r in satisfaction] == [
        ("failed", 0, "", "division by zero"),
        ("running", 40, "Taux de réponse", ""),
    ]
    tables = connection.introspection.table_names()
    assert "reconquete_recomputerun" not in tables and "satisfaction_recomputerun" not in tables

    # and back: the reverse copies them into the old tables again
    back = _migrate(OLD).loader.project_state(OLD).apps
    assert sorted(
        back.get_model("reconquete", "RecomputeRun").objects.values_list("task_id", "status")
    ) == [("attente", "pending"), ("fini", "done"), ("perdu", "failed")]
    assert back.get_model("satisfaction", "RecomputeRun").objects.count() == 2
    assert not BackgroundRun.objects.exists()
