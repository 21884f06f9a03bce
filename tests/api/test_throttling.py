import pytest
from django.core.cache import cache

from relation_client.api.throttling import ApiTokenRateThrottle
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db


def test_a_token_over_its_rate_gets_429_with_retry_after(make_token, monkeypatch):
    monkeypatch.setattr(ApiTokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    cache.clear()
    _token, _raw, client = make_token("customers:read")
    statuses = [client.get("/api/v1/customers/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/customers/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert error_of(response)["code"] == "throttled"
    # another application keeps its own budget
    _other, _raw2, other = make_token("customers:read", name="Billettique")
    assert other.get("/api/v1/customers/").status_code == 200
