"""The admin: endpoints (secret shown once) and the delivery log (read only, "retry now")."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from agences import roles
from relation_client.webhooks.delivery import webhook_deliver
from relation_client.webhooks.models import (
    DeliveryStatus,
    EventKind,
    WebhookDelivery,
    WebhookEndpoint,
)
from relation_client.webhooks.services import webhook_emit
from relation_client.webhooks.signing import body_encode, signature

pytestmark = pytest.mark.django_db

ENDPOINTS = reverse("admin:webhooks_webhookendpoint_changelist")
DELIVERIES = reverse("admin:webhooks_webhookdelivery_changelist")


@pytest.fixture
def admin_site_client(client, admin_user):
    client.force_login(admin_user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_creating_an_endpoint_shows_its_secret_once(admin_site_client):
    response = admin_site_client.post(
        reverse("admin:webhooks_webhookendpoint_add"),
        {
            "name": "Billettique Métropole",
            "url": "https://billettique.exemple.fr/rc/évènements",
            "events": [EventKind.REQUEST_OPENED, EventKind.CUSTOMER_WON_BACK],
            "active": "on",
        },
        follow=True,
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["customer.won_back", "request.opened"]
    (shown,) = [m for m in messages_of(response) if "Secret de signature" in m]
    assert shown.endswith(endpoint.secret) and endpoint.secret.startswith("whsec_")
    # the secret shown is the one deliveries are signed with
    body = body_encode({"event": "request.opened"})
    assert signature(secret=shown.rsplit(" ", 1)[1], timestamp=1, body=body) == signature(
        secret=endpoint.secret, timestamp=1, body=body
    )
    page = admin_site_client.get(
        reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk])
    ).content.decode()
    assert endpoint.secret not in page


@pytest.mark.parametrize("url", ["pas une adresse", "ftp://partenaire.exemple.fr/rc"])
def test_an_endpoint_needs_an_event_and_a_web_address(admin_site_client, url):
    response = admin_site_client.post(
        reverse("admin:webhooks_webhookendpoint_add"),
        {"name": "Centre d'appels", "url": url, "events": [], "active": "on"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.keys() == {"url", "events"}
    assert not WebhookEndpoint.objects.exists()


def test_rotating_the_secret_shows_the_new_one(admin_site_client, make_endpoint):
    endpoint, old = make_endpoint("https://partenaire.exemple.fr/rc", [EventKind.ALERT_RAISED])
    response = admin_site_client.post(
        ENDPOINTS,
        {"action": "rotate_secret", "_selected_action": [endpoint.pk]},
        follow=True,
    )
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert any(m.endswith(endpoint.secret) for m in messages_of(response))


@pytest.fixture
def log_rows(make_endpoint, receiver, settings):
    """Deliveries in every state, for the log."""

    def make(count: int):
        settings.WEBHOOK_MAX_ATTEMPTS = 1
        make_endpoint(receiver.url, [EventKind.ALERT_RAISED], name="Centre d'appels")
        ids = []
        for number in range(count):
            ids += webhook_emit(
                kind=EventKind.ALERT_RAISED, data={"alert": {"id": number, "kind": "breach"}}
            )
        receiver.status = 503
        webhook_deliver(delivery_id=ids[0], dispatch=1)  # given up at once
        receiver.status = 200
        if count > 1:
            webhook_deliver(delivery_id=ids[1], dispatch=1)
        return ids

    return make


@pytest.mark.parametrize("count", [3, 40])
def test_the_delivery_log_page_queries_are_bounded(
    admin_site_client, log_rows, count, django_assert_num_queries
):
    log_rows(count)
    # session (user: Redis), the endpoint filter's choices, the count and the filtered count, the
    # page's rows with their endpoint (one join), the current agent, the date hierarchy's
    # bounds and days
    with django_assert_num_queries(7):
        response = admin_site_client.get(DELIVERIES)
    assert response.status_code == 200
    assert response.context["cl"].result_count == count


def test_an_abandoned_delivery_shows_in_the_log_and_is_retried_now(
    admin_site_client, log_rows, receiver, django_capture_on_commit_callbacks
):
    failed_id, delivered_id, pending_id = log_rows(3)
    page = admin_site_client.get(DELIVERIES, {"status__exact": "failed"}).content.decode()
    assert "HTTP 503" in page and "Abandonné" in page
    assert response_ids(admin_site_client, {"status__exact": "failed"}) == [failed_id]

    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_site_client.post(
            DELIVERIES,
            {"action": "retry_now", "_selected_action": [failed_id, delivered_id]},
            follow=True,
        )
    assert any("1 envoi(s) relancé(s)" in m for m in messages_of(response))
    assert len(callbacks) == 1  # the task is queued after the commit
    failed = WebhookDelivery.objects.get(pk=failed_id)
    assert failed.status == DeliveryStatus.PENDING and failed.dispatch == 3
    # the delivered one is not handed over again
    delivered = WebhookDelivery.objects.get(pk=delivered_id)
    assert (delivered.status, delivered.dispatch) == (DeliveryStatus.DELIVERED, 2)
    assert webhook_deliver(delivery_id=failed_id, dispatch=failed.dispatch) == "delivered"
    assert len(receiver.delivered()) == 2


def response_ids(client, params) -> list[int]:
    return [row.pk for row in client.get(DELIVERIES, params).context["cl"].result_list]


def test_a_delivery_is_read_only(admin_site_client, log_rows):
    (delivery_id,) = log_rows(1)
    url = reverse("admin:webhooks_webhookdelivery_change", args=[delivery_id])
    page = admin_site_client.get(url).content.decode()
    assert "Centre d&#x27;appels" in page and "alert.raised" in page
    admin_site_client.post(url, {"status": "delivered"})
    assert WebhookDelivery.objects.get(pk=delivery_id).status == DeliveryStatus.FAILED
    assert admin_site_client.get(reverse("admin:webhooks_webhookdelivery_add")).status_code == 403


def test_a_manager_does_not_get_in(client, make_staff, agency_lyon):
    manager = make_staff("francois", "François Lemaire", roles.MANAGER, agency_lyon)
    manager.user.is_staff = True
    manager.user.save()
    client.force_login(manager.user)
    assert client.get(ENDPOINTS).status_code == 403
    assert client.get(DELIVERIES).status_code == 403
