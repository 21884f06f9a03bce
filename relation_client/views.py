"""The project's own pages: the home page (each role's landing) and the health check."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from agences.roles import (
    ADMINISTRATOR,
    AGENT,
    LABELS,
    MANAGER,
    NETWORK_DIRECTOR,
    PRECEDENCE,
    SUPERVISOR,
    WORKSPACE_ROLES,
)
from agences.selectors import agency_today, agent_for_user, partner_member_for_user
from relation_client.celery import app as celery_app
from relation_client.inbox import agent_inbox
from relation_client.tasks import HEARTBEAT_KEY
from relation_client.touchpoints.forms import WalkInForm

# beat schedules the heartbeat every minute: three missed ones mean no worker runs tasks
HEARTBEAT_LATE = datetime.timedelta(minutes=3)


# where each role lands when it opens the application ("/", where signing in leads): its
# work. The agent's inbox is this home page; a supervisor works their agency's queue; the
# managers and the network direction steer from the reconquest dashboard (their agency's,
# the network's). URL names, not imports: the project's URL map names the satellites'
# pages the same way (urls.py). The DPO keeps this page, partner staff their space.
LANDINGS = {
    SUPERVISOR: "touchpoints:queue",
    MANAGER: "reconquete:dashboard",
    NETWORK_DIRECTOR: "reconquete:dashboard",
    ADMINISTRATOR: "reconquete:dashboard",
}


def _landing(role: str | None) -> str | None:
    try:
        return reverse(LANDINGS[role]) if role in LANDINGS else None
    except NoReverseMatch:  # a satellite left out of the project: this page then
        return None


@login_required
@require_GET
def home(request):
    agent = agent_for_user(user=request.user)
    if agent is None and partner_member_for_user(user=request.user) is not None:
        # partner staff have no agency: their home is the requests escalated to them
        return redirect("agences:partner_requests")
    # the role names come with the agent (one query): the highest one decides
    role = next((name for name in PRECEDENCE if agent and name in agent.role_names), None)
    landing = _landing(role)
    if landing is not None:
        return redirect(landing)
    context = {
        "agent": agent,
        "role_label": LABELS.get(role, ""),
        "today": agency_today(agency=agent.agency) if agent else None,
        # « Échange sans nom »: the agencies' teams log a walk-in from here in one step
        "walkin_form": (
            WalkInForm() if agent and WORKSPACE_ROLES.intersection(agent.role_names) else None
        ),
        # the agent's work: calls to return, their open requests, their new alerts
        "inbox": agent_inbox(agent=agent) if role == AGENT else None,
    }
    return render(request, "agences/home.html", context)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "down"
    return "ok"


def _cache_state() -> tuple[str, str | None]:
    """The cache's state and the worker's last heartbeat, which lives in it."""
    try:
        return "ok", cache.get(HEARTBEAT_KEY)
    except (RedisError, OSError):
        return "down", None


def _broker_state() -> str:
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1)
    except (KombuOperationalError, RedisError, OSError):
        return "down"
    return "ok"


def _worker_state(cache_state: str, stamp: str | None, now: datetime.datetime) -> str:
    if cache_state != "ok":
        return "unknown"
    if stamp is None:
        return "down"
    seen = datetime.datetime.fromisoformat(stamp)
    return "ok" if now - seen <= HEARTBEAT_LATE else "late"


@require_GET
def health(request):
    """For load balancers and operators, in JSON: which part is up. 503 only when the
    database is down, the one part no page can do without; Redis down (cache, broker)
    degrades the service without stopping it, and taking every node out of the load
    balancer for it would turn a degraded service into none."""
    database = _database_state()
    cache_state, stamp = _cache_state()
    parts = {
        "database": database,
        "cache": cache_state,
        "broker": _broker_state(),
        "worker": _worker_state(cache_state, stamp, timezone.now()),
    }
    if database != "ok":
        status = "down"
    elif all(state == "ok" for state in parts.values()):
        status = "ok"
    else:
        status = "degraded"
    return JsonResponse(
        {"status": status, **parts, "worker_heartbeat": stamp},
        status=503 if database != "ok" else 200,
    )
