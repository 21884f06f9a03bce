"""Idempotency-Key on writes: replay, conflict on another body, concurrent duplicates."""

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.db import OperationalError

from relation_client.api.views import touchpoints as touchpoint_views
from relation_client.touchpoints.models import Touchpoint
from tests.api.conftest import error_of

BODY = {
    "channel": "social_media",
    "reason": "complaint",
    "summary": "Tram T1 à l'arrêt depuis 20 min",
}


@pytest.mark.django_db
def test_same_key_same_body_replays_and_writes_nothing(make_token, helene):
    _token, _raw, client = make_token("touchpoints:write")
    body = {**BODY, "customer": helene.pk}
    first = client.post("/api/v1/touchpoints/", body, format="json", HTTP_IDEMPOTENCY_KEY="cle-42")
    again = client.post("/api/v1/touchpoints/", body, format="json", HTTP_IDEMPOTENCY_KEY="cle-42")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Touchpoint.objects.count() == 1


@pytest.mark.django_db
def test_same_key_other_body_is_422(make_token, helene):
    _token, _raw, client = make_token("touchpoints:write")
    client.post(
        "/api/v1/touchpoints/",
        {**BODY, "customer": helene.pk},
        format="json",
        HTTP_IDEMPOTENCY_KEY="cle-43",
    )
    response = client.post(
        "/api/v1/touchpoints/",
        {**BODY, "summary": "Autre chose"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="cle-43",
    )
    assert response.status_code == 422
    assert error_of(response) == {
        "code": "idempotency_key_reused",
        "field": "Idempotency-Key",
        "detail": response.json()["detail"],
    }
    assert Touchpoint.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_their_caller(make_token, helene):
    _t1, _r1, first = make_token("touchpoints:write")
    _t2, _r2, second = make_token("touchpoints:write", name="Billettique")
    for client in (first, second):
        response = client.post(
            "/api/v1/touchpoints/",
            {**BODY, "customer": helene.pk},
            format="json",
            HTTP_IDEMPOTENCY_KEY="meme-cle",
        )
        assert response.status_code == 201
    assert Touchpoint.objects.count() == 2


@pytest.mark.django_db
def test_a_failed_validation_is_replayed_too(make_token):
    _token, _raw, client = make_token("touchpoints:write")
    bad = {**BODY, "channel": "pigeon"}
    first = client.post("/api/v1/touchpoints/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k")
    again = client.post("/api/v1/touchpoints/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert first.status_code == again.status_code == 400
    assert again.json() == first.json()


@pytest.mark.django_db
def test_a_server_error_is_not_stored_and_the_retry_is_processed_anew(
    make_token, helene, monkeypatch
):
    _token, _raw, client = make_token("touchpoints:write")
    client.raise_request_exception = False  # the client sees the 500, as a real one would
    real_log = touchpoint_views.touchpoint_log
    calls = []

    def fails_the_first_time(**fields):
        calls.append(fields)
        if len(calls) == 1:
            raise OperationalError("la connexion à la base a été coupée")
        return real_log(**fields)

    monkeypatch.setattr(touchpoint_views, "touchpoint_log", fails_the_first_time)
    body = {**BODY, "customer": helene.pk}
    failed = client.post("/api/v1/touchpoints/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-5")
    retry = client.post("/api/v1/touchpoints/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-5")
    assert failed.status_code == 500
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry
    assert len(calls) == 2
    assert Touchpoint.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_duplicates_create_one_touchpoint(make_token, helene, live_server):
    _token, raw, _client = make_token("touchpoints:write")
    payload = json.dumps({**BODY, "customer": helene.pk}).encode()
    barrier = threading.Barrier(6)
    statuses = []

    def send():
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/touchpoints/",
            data=payload,
            method="POST",
            headers={
                "Authorization": f"Bearer {raw}",
                "Content-Type": "application/json",
                "Idempotency-Key": "rafale-1",
            },
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Touchpoint.objects.count() == 1
    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}
