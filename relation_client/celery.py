"""The Celery app: configuration from Django settings (CELERY_*), JSON only."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relation_client.settings")

app = Celery("relation_client")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["relation_client"])
