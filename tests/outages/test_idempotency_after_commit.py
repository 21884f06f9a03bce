"""Idempotency-Key: the record commits with the write, so a 500 raised after the commit
(the answer lost on its way) leaves a stored answer; the client's retry gets it instead
of writing the touchpoint twice."""

import pytest
from django.db import OperationalError, transaction

from relation_client.api.views import touchpoints as touchpoint_views
from relation_client.touchpoints.models import Touchpoint

BODY = {"channel": "social_media", "reason": "complaint", "summary": "Tram T1 à l'arrêt"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_retry_after_a_500_raised_after_the_commit_gets_the_first_answer(
    make_token, helene, monkeypatch
):
    _token, _raw, client = make_token("touchpoints:write")
    client.raise_request_exception = False  # the client sees the 500, as a real one would
    real_log = touchpoint_views.touchpoint_log

    def lost_after_the_commit(**fields):
        touchpoint = real_log(**fields)

        def connection_lost():
            raise OperationalError("la connexion a été coupée après la validation")

        # not robust: it fails the request once the transaction has committed
        transaction.on_commit(connection_lost)
        return touchpoint

    monkeypatch.setattr(touchpoint_views, "touchpoint_log", lost_after_the_commit)
    body = {**BODY, "customer": helene.pk}
    failed = client.post("/api/v1/touchpoints/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-c1")
    monkeypatch.setattr(touchpoint_views, "touchpoint_log", real_log)
    retry = client.post("/api/v1/touchpoints/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-c1")
    assert failed.status_code == 500
    assert Touchpoint.objects.count() == 1  # the write was committed before the 500
    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json()["id"] == Touchpoint.objects.get().pk
