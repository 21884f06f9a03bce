from celery import shared_task

from relation_client.privacy.retention import retention_run


@shared_task(name="relation_client.privacy.tasks.retention_nightly")
def retention_nightly() -> int:
    return retention_run().anonymised
