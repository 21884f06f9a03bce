"""alert_raise tells the recipient's open pages, after the commit: the message, where to
look, and their new count of alerts to handle, for one count query."""

import json

import pytest
import redis
from django.conf import settings

from relation_client import live
from relation_client.touchpoints.models import Alert, AlertKind, AlertStatus
from relation_client.touchpoints.services import alert_raise

pytestmark = pytest.mark.django_db


@pytest.fixture
def agents_page(agent):
    """The agent's channel, as their page's stream subscribes to it."""
    pubsub = redis.Redis.from_url(settings.REDIS_URL).pubsub()
    pubsub.subscribe(live.agent_channel(agent.pk))
    assert pubsub.get_message(timeout=5)["type"] == "subscribe"
    yield pubsub
    pubsub.close()


def _next(pubsub) -> dict | None:
    message = pubsub.get_message(timeout=5)
    assert message is None or message["type"] == "message", message
    return json.loads(message["data"]) if message else None


def _raise(agent, helene, number: int) -> Alert | None:
    return alert_raise(
        kind=AlertKind.REPEAT_CONTACT,
        recipient=agent,
        customer=helene,
        cause=f"test:direct:{number}",
        code="legacy",
        params={"text": f"Mme Hélène Dupont-Lefèvre a appelé {number} fois cette semaine."},
    )


def test_the_alert_and_the_new_count_reach_the_recipients_page_after_commit(
    agent, helene, agents_page, django_capture_on_commit_callbacks, django_assert_num_queries
):
    first = _raise(agent, helene, 3)
    Alert.objects.filter(pk=first.pk).update(status=AlertStatus.ACKNOWLEDGED)
    resolved = _raise(agent, helene, 4)
    Alert.objects.filter(pk=resolved.pk).update(status=AlertStatus.RESOLVED)

    with django_capture_on_commit_callbacks() as callbacks:
        _raise(agent, helene, 5)
    # nothing before the commit: the page would fetch an alert that may not exist (the
    # marker published now is the first thing the page receives)
    live.publish(agent_ids=[agent.pk], event="repère", data={})
    assert _next(agents_page) == {"event": "repère", "data": {}}
    with django_assert_num_queries(1):  # the count; the publish is Redis's
        for callback in callbacks:
            callback()

    event = _next(agents_page)
    assert event == {
        "event": "alert",
        "data": {
            # a code and its parameters: each page's stream writes it in its language
            "message": live.text(
                code="legacy",
                params={"text": "Mme Hélène Dupont-Lefèvre a appelé 5 fois cette semaine."},
            ),
            "url": f"/clients/{helene.pk}/",
            "count": 2,  # new and acknowledged; the resolved one no longer counts
        },
    }
    assert live.localized(event["data"])["message"] == (
        "Mme Hélène Dupont-Lefèvre a appelé 5 fois cette semaine."
    )


def test_the_same_cause_again_tells_nobody(agent, helene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert _raise(agent, helene, 6) is not None
        assert _raise(agent, helene, 6) is None
    assert len(callbacks) == 1
