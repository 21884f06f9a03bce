"""Live events to the agents' browsers: published on Redis, one channel per agent; the
browser's event stream (server-sent events) subscribes to its agent's channel."""

import json

import redis
from django.conf import settings

_client: redis.Redis | None = None


def agent_channel(agent_id: int) -> str:
    return f"rc:live:agent:{agent_id}"


def _redis() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
    return _client


def publish(*, agent_ids, event: str, data: dict) -> int:
    """Send one event to these agents' open pages; how many pages received it. Live
    events are a convenience over what the pages show on reload: Redis down loses them
    and nothing else (the call, the alert, the count are rows in the database)."""
    payload = json.dumps({"event": event, "data": data}, default=str)
    received = 0
    try:
        for agent_id in set(agent_ids):
            received += _redis().publish(agent_channel(agent_id), payload)
    except redis.RedisError:
        return received
    return received
