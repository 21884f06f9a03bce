"""The project's own pages: the home page (each role's landing) and the health check."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from agences.roles import LABELS, role_of
from agences.selectors import agency_today, agent_for_user, partner_member_for_user
from relation_client.tasks import HEARTBEAT_KEY


@login_required
@require_GET
def home(request):
    agent = agent_for_user(user=request.user)
    if agent is None and partner_member_for_user(user=request.user) is not None:
        # partner staff have no agency: their home is the requests escalated to them
        return redirect("agences:partner_requests")
    role = role_of(request.user)
    context = {
        "agent": agent,
        "role_label": LABELS.get(role, ""),
        "today": agency_today(agency=agent.agency) if agent else None,
    }
    return render(request, "agences/home.html", context)


@require_GET
def health(request):
    """For load balancers and operators: database reachable, last worker heartbeat."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"database": "ok", "worker_heartbeat": cache.get(HEARTBEAT_KEY)})
