"""The admin lists the background runs of every kind, read-only."""

import pytest
from django.urls import reverse

from relation_client.runs.models import BackgroundRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("emilie", password="Émilie-42-admin")
    client.force_login(user)
    return client


def test_runs_are_listed_and_read_only(admin_client, manager_lyon):
    run = BackgroundRun.objects.create(kind="satisfaction_indicators", requested_by=manager_lyon)
    listing = admin_client.get(reverse("admin:runs_backgroundrun_changelist"))
    assert listing.status_code == 200 and "satisfaction_indicators" in listing.content.decode()
    assert admin_client.get(reverse("admin:runs_backgroundrun_add")).status_code == 403
    page = admin_client.get(reverse("admin:runs_backgroundrun_change", args=[run.pk]))
    assert page.status_code == 200 and 'name="kind"' not in page.content.decode()
