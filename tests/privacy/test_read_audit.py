"""Bulk reads leave a trace: one audit row per page of customers served (API list and
search, page search), with how many customers it showed and the query; staff sessions are
throttled on the API too; an author reading more customers in an hour than a person would
alerts the data-protection officers, once per author and hour."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from agences import roles
from relation_client.api.throttling import SessionUserRateThrottle
from relation_client.privacy.models import AuditEvent
from relation_client.touchpoints.models import Alert
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def twelve(make_customer):
    return [make_customer("Hélène", f"Martin-{index:02d}") for index in range(12)]


def list_reads():
    return AuditEvent.objects.filter(action="list").order_by("id")


def read_every_page(client, size: int = 5) -> int:
    url, pages = f"/api/v1/customers/?page_size={size}", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        url, pages = response.json()["next"], pages + 1
    return pages


def test_each_api_page_served_is_one_audit_row_with_its_count(twelve, make_token):
    token, _raw, client = make_token("customers:read", name="Export CRM")
    assert read_every_page(client) == 3
    rows = list(list_reads())
    assert [row.shown for row in rows] == [5, 5, 2]
    assert {(row.actor_label, row.channel, row.customer_id) for row in rows} == {
        ("jeton Export CRM", "api", None)
    }


def test_an_api_search_is_audited_with_its_query(twelve, make_token):
    _token, _raw, client = make_token("customers:read")
    response = client.get("/api/v1/customers/", {"search": "Martin-03"})
    shown = len(response.json()["results"])
    assert shown >= 1
    row = list_reads().get()
    assert (row.shown, row.detail_text) == (shown, "recherche « Martin-03 »")


def test_a_page_search_is_audited_full_page_and_htmx(agent_client, agent, twelve):
    agent_client.get(reverse("customers:search"), {"q": "Martin-07"})
    agent_client.get(reverse("customers:search"), {"q": "Inconnu Total"}, headers=HTMX)
    found, nobody = list_reads()
    assert found.actor_id == agent.user_id and found.channel == "page"
    assert found.shown >= 1 and "Martin-07" in found.detail_text
    assert (nobody.shown, nobody.detail_text) == (0, "recherche « Inconnu Total »")


def test_the_dpo_sees_list_reads_in_the_journal(dpo_client, twelve, make_token):
    _token, _raw, client = make_token("customers:read", name="Export CRM")
    read_every_page(client)
    page = dpo_client.get(reverse("privacy:index"), {"action": "list"}).content.decode()
    assert "jeton Export CRM" in page
    assert "5 fiches affichées" in page and "2 fiches affichées" in page


def test_a_staff_session_is_throttled_on_the_api(agent, monkeypatch, make_token):
    monkeypatch.setattr(SessionUserRateThrottle, "THROTTLE_RATES", {"session": "3/min"})
    cache.clear()
    api_client = APIClient()
    api_client.force_login(agent.user)
    statuses = [api_client.get("/api/v1/customers/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api_client.get("/api/v1/customers/")
    assert error_of(response)["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60
    # a token keeps its own budget
    _token, _raw, client = make_token("customers:read")
    assert client.get("/api/v1/customers/").status_code == 200


def test_reading_more_than_a_person_would_alerts_the_dpo_once(
    twelve, make_token, dpo, make_staff, agency_lyon, agent, settings
):
    settings.READ_VOLUME_ALERT = 10
    administrator = make_staff("admin.reseau", "Claire Admin", roles.ADMINISTRATOR, agency_lyon)
    _token, _raw, client = make_token("customers:read", name="Export CRM")
    client.get("/api/v1/customers/?page_size=5")
    client.get("/api/v1/customers/?page_size=5")
    assert not Alert.objects.filter(kind="bulk_read").exists()  # 10 shown: not over
    read_every_page(client)  # 22 shown within the hour
    read_every_page(client)  # still the same hour: no second alert
    alerts = Alert.objects.filter(kind="bulk_read")
    assert sorted(alert.recipient_id for alert in alerts) == sorted([dpo.pk, administrator.pk])
    assert all("jeton Export CRM" in alert.text for alert in alerts)
    assert not Alert.objects.filter(recipient=agent).exists()


def test_the_threshold_counts_what_the_pages_showed(agent_client, twelve, dpo, settings):
    settings.READ_VOLUME_ALERT = 36
    for name in ("Martin-01", "Martin-02", "Martin-03"):  # each lists the twelve Martins
        agent_client.get(reverse("customers:search"), {"q": name})
    assert sum(list_reads().values_list("shown", flat=True)) == 36
    assert not Alert.objects.filter(kind="bulk_read").exists()  # not over
    agent_client.get(reverse("customers:search"), {"q": "Martin-04"})
    assert Alert.objects.filter(kind="bulk_read", recipient=dpo).count() == 1


def test_each_author_is_counted_on_its_own(twelve, make_token, dpo, settings):
    settings.READ_VOLUME_ALERT = 10
    _first, _raw, crm = make_token("customers:read", name="Export CRM")
    _second, _raw2, ticketing = make_token("customers:read", name="Billettique")
    crm.get("/api/v1/customers/?page_size=6")
    ticketing.get("/api/v1/customers/?page_size=6")  # 6 + 6 by two authors: no alert
    assert not Alert.objects.filter(kind="bulk_read").exists()
    read_every_page(ticketing)
    [alert] = Alert.objects.filter(kind="bulk_read")
    assert "Billettique" in alert.text
