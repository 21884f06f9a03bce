"""The presence store (relation_client.live.presence) on the test Redis: who has a request
open, heard of within PRESENCE_SECONDS, the most recently heard first."""

import json

import pytest
import redis
from django.conf import settings

from relation_client import live
from relation_client.live.presence import (
    PRESENCE_EVENT,
    PRESENCE_SECONDS,
    presence_agents,
    presence_arrive,
    presence_leave,
    presence_tell_others,
)

REQUEST = 4242
T0 = 1_800_000_000.0


@pytest.fixture(autouse=True)
def clean_presence():
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter("rc:presence:*"):
        client.delete(key)
    yield client
    for key in client.scan_iter("rc:presence:*"):
        client.delete(key)


def test_arriving_then_beating_is_one_arrival():
    assert presence_arrive(request_id=REQUEST, agent_id=1, now=T0) is True
    assert presence_arrive(request_id=REQUEST, agent_id=1, now=T0 + 15) is False
    assert presence_agents(request_id=REQUEST, now=T0 + 15) == [1]
    # another request is another set
    assert presence_agents(request_id=REQUEST + 1, now=T0 + 15) == []


def test_the_heartbeat_keeps_the_agent_there():
    presence_arrive(request_id=REQUEST, agent_id=1, now=T0)
    presence_arrive(request_id=REQUEST, agent_id=1, now=T0 + 30)
    # past the first beat's expiry, within the second's
    assert presence_agents(request_id=REQUEST, now=T0 + PRESENCE_SECONDS + 10) == [1]


def test_an_agent_not_heard_of_has_gone_and_comes_back_as_an_arrival():
    presence_arrive(request_id=REQUEST, agent_id=1, now=T0)
    presence_arrive(request_id=REQUEST, agent_id=2, now=T0 + 20)
    assert presence_agents(request_id=REQUEST, now=T0 + PRESENCE_SECONDS - 1) == [2, 1]
    assert presence_agents(request_id=REQUEST, now=T0 + PRESENCE_SECONDS) == [2]
    # the laptop opens again: an arrival, which the others are told of
    assert presence_arrive(request_id=REQUEST, agent_id=1, now=T0 + 60) is True
    assert presence_agents(request_id=REQUEST, now=T0 + 60) == [1, 2]


def test_leaving_removes_the_agent_once():
    presence_arrive(request_id=REQUEST, agent_id=1, now=T0)
    presence_arrive(request_id=REQUEST, agent_id=2, now=T0)
    assert presence_leave(request_id=REQUEST, agent_id=1) is True
    assert presence_leave(request_id=REQUEST, agent_id=1) is False
    assert presence_agents(request_id=REQUEST, now=T0 + 1) == [2]


def test_the_most_recently_heard_come_first():
    for agent_id, second in ((3, 0), (1, 5), (2, 10)):
        presence_arrive(request_id=REQUEST, agent_id=agent_id, now=T0 + second)
    assert presence_agents(request_id=REQUEST, now=T0 + 11) == [2, 1, 3]
    presence_arrive(request_id=REQUEST, agent_id=3, now=T0 + 12)
    assert presence_agents(request_id=REQUEST, now=T0 + 13) == [3, 2, 1]


def test_a_request_nobody_opens_again_leaves_nothing_behind(clean_presence):
    presence_arrive(request_id=REQUEST, agent_id=1)
    ttl = clean_presence.ttl(f"rc:presence:request:{REQUEST}")
    assert PRESENCE_SECONDS < ttl <= 2 * PRESENCE_SECONDS


def test_the_others_are_told_not_the_one_who_arrived():
    subscriber = redis.Redis.from_url(settings.REDIS_URL).pubsub()
    subscriber.subscribe(live.agent_channel(1), live.agent_channel(2))
    try:
        for _ in range(2):
            assert subscriber.get_message(timeout=5)["type"] == "subscribe"
        presence_arrive(request_id=REQUEST, agent_id=1)
        assert presence_tell_others(request_id=REQUEST, agent_id=1) == 0  # alone
        presence_arrive(request_id=REQUEST, agent_id=2)
        assert presence_tell_others(request_id=REQUEST, agent_id=2) == 1
        message = subscriber.get_message(timeout=5)
        assert message["channel"].decode() == live.agent_channel(1)
        assert json.loads(message["data"]) == {
            "event": PRESENCE_EVENT,
            "data": {"request": REQUEST},
        }
    finally:
        subscriber.close()
