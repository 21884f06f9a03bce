"""The alert inbox (touchpoints:alerts) and its acknowledge / resolve actions."""

import pytest
from django.urls import reverse

from relation_client.touchpoints.models import Alert, AlertKind, AlertStatus
from relation_client.touchpoints.services import alert_raise

pytestmark = pytest.mark.django_db

URL = reverse("touchpoints:alerts")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def raise_alert(agent, helene):
    def make(number: int, recipient=None, status=AlertStatus.NEW) -> Alert:
        alert = alert_raise(
            kind=AlertKind.REPEAT_CONTACT,
            recipient=recipient or agent,
            customer=helene,
            cause=f"test:alerte:{number}",
            code="legacy",
            params={"text": f"Mme Hélène Dupont-Lefèvre a appelé {number} fois cette semaine."},
        )
        Alert.objects.filter(pk=alert.pk).update(status=status)
        alert.refresh_from_db()
        return alert

    return make


def _listed(response) -> list[int]:
    return [alert.pk for alert in response.context["page"].object_list]


def test_new_then_acknowledged_then_resolved(agent_client, raise_alert):
    resolved = raise_alert(1, status=AlertStatus.RESOLVED)
    acknowledged = raise_alert(2, status=AlertStatus.ACKNOWLEDGED)
    new = raise_alert(3)
    older_new = raise_alert(4)
    Alert.objects.filter(pk=older_new.pk).update(created_at=new.created_at.replace(year=2025))
    response = agent_client.get(URL)
    assert _listed(response) == [new.pk, older_new.pk, acknowledged.pk, resolved.pk]
    assert "a appelé 3 fois cette semaine" in response.content.decode()


def test_only_my_alerts_are_listed(agent_client, raise_alert, colleague_lyon):
    mine = raise_alert(1)
    raise_alert(2, recipient=colleague_lyon)
    assert _listed(agent_client.get(URL)) == [mine.pk]


def test_acknowledge_then_resolve(agent_client, raise_alert):
    alert = raise_alert(1)
    response = agent_client.post(reverse("touchpoints:alert_acknowledge", args=[alert.pk]))
    assert response.status_code == 302 and response["Location"] == URL
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_at
    agent_client.post(reverse("touchpoints:alert_resolve", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED and alert.resolved_at


def test_htmx_answers_with_the_alert_partial(agent_client, raise_alert):
    alert = raise_alert(1)
    response = agent_client.post(reverse("touchpoints:alert_acknowledge", args=[alert.pk]), **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<li id="alert-{alert.pk}"')
    assert "Alerte prise en compte." in page and "Prise en compte" in page
    assert "<html" not in page
    assert response["HX-Trigger"] == "alertsChanged"


def test_acknowledging_twice_is_refused_in_french(agent_client, raise_alert):
    alert = raise_alert(1, status=AlertStatus.ACKNOWLEDGED)
    response = agent_client.post(
        reverse("touchpoints:alert_acknowledge", args=[alert.pk]), follow=True
    )
    assert "Cette alerte est déjà prise en compte." in response.content.decode()


def test_another_agent_gets_404_and_changes_nothing(client, raise_alert, colleague_lyon):
    alert = raise_alert(1)
    client.force_login(colleague_lyon.user)
    for name in ("alert_acknowledge", "alert_resolve"):
        assert client.post(reverse(f"touchpoints:{name}", args=[alert.pk])).status_code == 404
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW


def test_anonymous_cannot_act(client, raise_alert):
    alert = raise_alert(1)
    response = client.post(reverse("touchpoints:alert_resolve", args=[alert.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW


@pytest.mark.parametrize("count", [2, 20])
def test_queries_do_not_grow_with_the_inbox(
    agent_client, raise_alert, count, django_assert_num_queries
):
    for number in range(count):
        raise_alert(number)
    # session (user, agent: Redis), count for the paginator, the page of alerts with customer
    # and request
    # ... and the alert count in the navigation bar
    with django_assert_num_queries(4):
        response = agent_client.get(URL)
    assert len(_listed(response)) == count
