"""The touchpoint form's hint: whether saving the exchange opens a request.

Apart from views.py, which is at its size limit; the same access as the workspace."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agences.models import Agent
from relation_client.touchpoints import selectors
from relation_client.touchpoints.forms import open_request_cleaned
from relation_client.touchpoints.models import Direction, Reason
from relation_client.touchpoints.views import workspace_agent


@require_GET
@workspace_agent
def request_hint(request, agent: Agent):
    """The touchpoint form's line saying whether saving opens a request (htmx, on every
    change of the form's fields)."""
    reason = Reason.objects.filter(code=request.GET.get("reason", ""), active=True).first()
    if reason is None:
        return HttpResponse("")
    hint = selectors.request_opening_hint(
        reason=reason,
        direction=request.GET.get("direction") or Direction.INBOUND,
        outcome=request.GET.get("outcome", ""),
        channel=request.GET.get("channel", ""),
        open_request=open_request_cleaned(request.GET.get("open_request", "")),
    )
    return render(request, "touchpoints/partials/_request_hint.html", {"hint": hint})
