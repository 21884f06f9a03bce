"""Celery tasks of background runs."""

from celery import shared_task

from relation_client.runs.services import runs_expire


@shared_task(name="relation_client.runs.tasks.runs_expire")
def runs_expire_task() -> int:
    """Every minute: fail the runs whose worker stopped renewing its lease."""
    return runs_expire()
