"""The admin: surveys and sampling rates editable; the pulse is not exposed at all."""

import pytest
from django.contrib import admin
from django.urls import reverse

from satisfaction.models import ChannelSampling, PulseMarker, PulseResponse, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("emilie", password="Émilie-42-admin")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "name",
    [
        "survey",
        "channelsampling",
        "surveyinvitation",
        "surveyanswer",
        "incivilityreport",
    ],
)
def test_lists_load(admin_client, name):
    assert admin_client.get(reverse(f"admin:satisfaction_{name}_changelist")).status_code == 200


def test_a_sampling_rate_is_edited(admin_client):
    sampling = ChannelSampling.objects.get(channel="counter")
    response = admin_client.post(
        reverse("admin:satisfaction_channelsampling_change", args=[sampling.pk]),
        {"channel": "counter", "survey": Survey.objects.get(kind="nps").pk, "rate": "0.5"},
    )
    assert response.status_code == 302
    sampling.refresh_from_db()
    assert (sampling.survey.kind, str(sampling.rate)) == ("nps", "0.500")


def test_the_pulse_is_not_in_the_admin():
    assert PulseResponse not in admin.site._registry
    assert PulseMarker not in admin.site._registry
