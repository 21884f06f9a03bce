"""Idempotency-Key window: 24 hours, then the key is forgotten (a reuse is a new request),
and the nightly beat job deletes the forgotten keys."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from relation_client.api.models import IdempotencyRecord
from relation_client.api.tasks import idempotency_purge
from relation_client.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db

BODY = {"channel": "social_media", "reason": "complaint", "summary": "Tram T1 à l'arrêt"}


def _age(key: str, hours: float) -> None:
    IdempotencyRecord.objects.filter(key=key).update(
        created_at=timezone.now() - datetime.timedelta(hours=hours)
    )


def _post(client, body, key):
    return client.post("/api/v1/touchpoints/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_key_from_25_hours_ago_is_processed_anew(make_token, helene):
    _token, _raw, client = make_token("touchpoints:write")
    body = {**BODY, "customer": helene.pk}
    first = _post(client, body, "cle-hier")
    _age("cle-hier", 25)

    again = _post(client, body, "cle-hier")

    assert first.status_code == again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert again.json()["id"] != first.json()["id"]
    assert Touchpoint.objects.count() == 2
    # the key now stands for the new request, for 24 hours
    assert IdempotencyRecord.objects.get(key="cle-hier").created_at > timezone.now() - (
        datetime.timedelta(minutes=1)
    )
    assert _post(client, body, "cle-hier")["Idempotent-Replayed"] == "true"


def test_a_forgotten_key_may_carry_another_body(make_token, helene):
    _token, _raw, client = make_token("touchpoints:write")
    _post(client, {**BODY, "customer": helene.pk}, "cle-hier")
    _age("cle-hier", 25)

    other = _post(
        client, {**BODY, "customer": helene.pk, "summary": "Bus 38 en retard"}, "cle-hier"
    )

    assert other.status_code == 201  # not idempotency_key_reused: the old key is gone


def test_a_key_from_23_hours_ago_still_replays(make_token, helene):
    _token, _raw, client = make_token("touchpoints:write")
    body = {**BODY, "customer": helene.pk}
    first = _post(client, body, "cle-matin")
    _age("cle-matin", 23)

    again = _post(client, body, "cle-matin")

    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Touchpoint.objects.count() == 1


def test_the_purge_deletes_keys_past_the_window_and_keeps_younger_ones(make_token, helene):
    _token, _raw, client = make_token("touchpoints:write")
    for key, hours in [("cle-1", 49), ("cle-2", 25), ("cle-3", 23), ("cle-4", 0)]:
        _post(client, {**BODY, "customer": helene.pk, "summary": key}, key)
        _age(key, hours)

    assert idempotency_purge() == 2
    assert idempotency_purge() == 0  # idempotent: a second run finds nothing more
    assert set(IdempotencyRecord.objects.values_list("key", flat=True)) == {"cle-3", "cle-4"}
    # a replayed moment: two hours later, the 23-hour-old key is past the window too
    later = (timezone.now() + datetime.timedelta(hours=2)).isoformat()
    assert idempotency_purge(later) == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["cle-4"]


def test_beat_runs_the_purge_every_night():
    from relation_client.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["idempotency-purge"]
    assert entry["task"] == idempotency_purge.name
    assert entry["schedule"].hour == {4}
    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    assert entry["task"] in app.tasks


@pytest.mark.parametrize("key", ["clé-42", "cle 42", ""])
def test_a_key_outside_the_documented_pattern_is_a_400(make_token, helene, key):
    # the schema says visible ASCII (^[!-~]+$): schemathesis sent such keys and got a 201
    _token, _raw, client = make_token("touchpoints:write")

    response = _post(client, {**BODY, "customer": helene.pk}, key)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert not Touchpoint.objects.exists()
