"""Live events to the agents' browsers: published on Redis, one channel per agent; the
browser's event stream (server-sent events, `views.stream`) subscribes to its agent's
channel. A text in an event travels as a code and parameters (`text`): the stream writes
it in the language of the page it goes to."""

import hashlib
import json
import time

import redis
from django.conf import settings

from socle import messages

_client: redis.Redis | None = None
# Redis unreachable: publishing is skipped for a few seconds rather than costing every
# caller (a sweep raising a thousand alerts) its one-second connection timeout
_down_until = 0.0
DOWN_PAUSE_SECONDS = 5.0

# sent on an agent's channel when one of their sessions signs out: the stream of that
# session closes (the others ignore it); never forwarded to a page
SESSION_ENDED = "session.ended"


# the key of a text to be written by the stream in its page's language
TEXT = "rc:text"


def text(*, code: str, params: dict, fallback: str = "") -> dict:
    """A text for an event's data, written by each stream in its page's language."""
    return {TEXT: code, "params": params, "fallback": fallback}


def localized(data):
    """The event's data with its texts written in the active language."""
    if isinstance(data, dict):
        if TEXT in data:
            return messages.render(
                str(data[TEXT]), data.get("params") or {}, fallback=data.get("fallback", "")
            )
        return {key: localized(value) for key, value in data.items()}
    if isinstance(data, list):
        return [localized(value) for value in data]
    return data


def agent_channel(agent_id: int) -> str:
    return f"rc:live:agent:{agent_id}"


def session_tag(session_key: str | None) -> str:
    """A session's name on the channel: a hash, never the key itself."""
    return hashlib.sha256((session_key or "").encode()).hexdigest()[:24]


def redis_client() -> redis.Redis:
    """The one synchronous client of the live events and of presence (.presence)."""
    global _client
    if _client is None:
        _client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
    return _client


def redis_available() -> bool:
    """False for DOWN_PAUSE_SECONDS after Redis was found unreachable (`redis_failed`)."""
    return time.monotonic() >= _down_until


def redis_failed() -> None:
    global _down_until
    _down_until = time.monotonic() + DOWN_PAUSE_SECONDS


def publish(*, agent_ids, event: str, data: dict) -> int:
    """Send one event to these agents' open pages; how many pages received it. Live
    events are a convenience over what the pages show on reload: Redis down loses them
    and nothing else (the call, the alert, the count are rows in the database)."""
    if not redis_available():
        return 0
    payload = json.dumps({"event": event, "data": data}, default=str)
    received = 0
    try:
        for agent_id in set(agent_ids):
            received += redis_client().publish(agent_channel(agent_id), payload)
    except redis.RedisError:
        redis_failed()
        return received
    return received
