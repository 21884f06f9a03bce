"""Who has a request open right now: one Redis sorted set per request, the agents' ids
scored by the time their page last said it was there (on opening, then every
HEARTBEAT_SECONDS). An agent not heard of for PRESENCE_SECONDS has gone (a closed laptop
says nothing); a page that is left says so at once (`presence_leave`).

Like the live events, presence is a convenience over what the pages show: Redis down, no
one is shown and nothing else fails, and for a few seconds nothing waits on it either
(`live.redis_available`: the request page would otherwise wait for its connection
timeout twice).
"""

import time

import redis

from relation_client import live

HEARTBEAT_SECONDS = 15
# three heartbeats missed: gone
PRESENCE_SECONDS = 45
# the event that tells the others' pages to ask again who is there
PRESENCE_EVENT = "presence"


def _key(request_id: int) -> str:
    return f"rc:presence:request:{request_id}"


def presence_arrive(*, request_id: int, agent_id: int, now: float | None = None) -> bool:
    """The agent's page has the request open (on opening, and each heartbeat). True when
    they arrive: they were not there, or had gone (no heartbeat for PRESENCE_SECONDS)."""
    now = time.time() if now is None else now
    key = _key(request_id)
    if not live.redis_available():
        return False
    try:
        pipe = live.redis_client().pipeline()
        pipe.zremrangebyscore(key, "-inf", now - PRESENCE_SECONDS)
        pipe.zadd(key, {str(agent_id): now})
        # a request nobody opens again leaves nothing behind
        pipe.expire(key, PRESENCE_SECONDS * 2)
        _removed, added, _ = pipe.execute()
    except redis.RedisError:
        live.redis_failed()
        return False
    return bool(added)


def presence_leave(*, request_id: int, agent_id: int) -> bool:
    """The agent's page left the request (closed, hidden, went elsewhere). True when they
    were there."""
    if not live.redis_available():
        return False
    try:
        return bool(live.redis_client().zrem(_key(request_id), str(agent_id)))
    except redis.RedisError:
        live.redis_failed()
        return False


def presence_agents(*, request_id: int, now: float | None = None) -> list[int]:
    """The ids of the agents who have the request open, the most recently heard first."""
    now = time.time() if now is None else now
    if not live.redis_available():
        return []
    try:
        members = live.redis_client().zrevrangebyscore(
            _key(request_id), "+inf", f"({now - PRESENCE_SECONDS}"
        )
    except redis.RedisError:
        live.redis_failed()
        return []
    return [int(member) for member in members]


def presence_tell_others(*, request_id: int, agent_id: int) -> int:
    """Someone arrived or left: the others' pages on this request ask again who is there
    (within a second rather than at their next heartbeat). How many pages were told."""
    others = [pk for pk in presence_agents(request_id=request_id) if pk != agent_id]
    if not others:
        return 0
    return live.publish(agent_ids=others, event=PRESENCE_EVENT, data={"request": request_id})
