"""The agent's live events, as server-sent events: GET /direct/ holds one response open
per page and writes each event published on the agent's Redis channel.

It needs an ASGI server (uvicorn; gunicorn with uvicorn workers in production): an open
stream costs a coroutine and one Redis connection, no thread and no database connection.
Under WSGI (runserver, the test client) it would hold a worker for as long as the page is
open, sending nothing: it answers 204 there, and pages simply have no live events.

The stream ends by itself when the session does: at its idle or absolute limit (checked
again when reached, since the agent's other requests move it) and when the agent signs
out (`signals.session_ended`). The browser reconnects after `retry`; EventSource does.
"""

import json
import logging
import time
from importlib import import_module

import redis
import redis.asyncio as aioredis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from agences.models import Agent
from agences.sessions import seconds_left, session_passive, session_seconds_left
from relation_client import live

logger = logging.getLogger(__name__)

KEEPALIVE_SECONDS = 15
RETRY_MS = 3000
# Redis unreachable: the browser comes back later rather than every three seconds
RETRY_REDIS_DOWN_MS = 15000
READY = "live.ready"


def _database_release() -> None:
    # the request's thread opened a connection (session, user, agent): an open stream
    # must not hold one for hours, one per agent's page
    connections.close_all()


def _session_left(session_key: str) -> int:
    """Seconds left to this session as the database has it now: 0 once it ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    try:
        if store.get(SESSION_KEY) is None:  # signed out, flushed or expired
            return 0
        return seconds_left(store)
    finally:
        _database_release()


def _frame(event: str, data) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def _events(*, agent_id: int, session_key: str, left: int, language: str):
    await sync_to_async(_database_release)()
    client = aioredis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1)
    pubsub = client.pubsub()
    try:
        try:
            await pubsub.subscribe(live.agent_channel(agent_id))
        except (redis.RedisError, OSError):
            yield f"retry: {RETRY_REDIS_DOWN_MS}\n\n"
            return
        # subscribed: from now on nothing published for this agent is missed
        yield f"retry: {RETRY_MS}\n\n" + _frame(READY, {})
        own_session = live.session_tag(session_key)
        written = time.monotonic()
        session_ends = written + left
        while True:
            now = time.monotonic()
            if now - written >= KEEPALIVE_SECONDS:
                if now >= session_ends:
                    left = await sync_to_async(_session_left)(session_key)
                    if left <= 0:
                        return
                    session_ends = now + left
                yield ": en direct\n\n"
                written = now
                continue
            message = await pubsub.get_message(
                ignore_subscribe_messages=True, timeout=KEEPALIVE_SECONDS - (now - written)
            )
            if message is None or message.get("type") != "message":
                continue
            try:
                payload = json.loads(message["data"])
                event, data = str(payload["event"]), payload.get("data", {})
            except (ValueError, KeyError, TypeError):
                logger.warning("live event ignored: not an event of ours")
                continue
            if event == live.SESSION_ENDED:
                if isinstance(data, dict) and data.get("session") == own_session:
                    return
                continue
            with translation.override(language):
                data = live.localized(data)
            yield _frame(event.replace("\n", " "), data)
            written = time.monotonic()
    except (redis.RedisError, OSError):
        # Redis went away: the stream ends and the browser reconnects after `retry`
        return
    finally:
        try:
            await pubsub.aclose()
            await client.aclose()
        except (redis.RedisError, OSError):
            pass


@session_passive  # the page reconnecting its stream is not the agent at work
@require_GET
async def stream(request):
    if not isinstance(request, ASGIRequest):
        # under WSGI (runserver, pytest-django's live_server) the stream would hold a
        # thread forever and send nothing: "no content", which EventSource takes as "stop"
        logger.warning("the live event stream needs an ASGI server (make run: uvicorn)")
        return HttpResponse(status=204)
    user = await request.auser()
    if not user.is_authenticated:
        # EventSource gives up on anything but a 200: nothing to say, nothing to retry
        return HttpResponse(status=401)
    agent_id = await Agent.objects.filter(user_id=user.pk).values_list("pk", flat=True).afirst()
    if agent_id is None:
        return HttpResponse(status=403)
    left = await sync_to_async(session_seconds_left)(request)
    response = StreamingHttpResponse(
        _events(
            agent_id=agent_id,
            session_key=request.session.session_key,
            left=left,
            # the page's language (LocaleMiddleware): the alerts' texts are written in it
            language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        ),
        content_type="text/event-stream; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    # nginx and its kin would otherwise hold the events back to fill a buffer
    response["X-Accel-Buffering"] = "no"
    return response
