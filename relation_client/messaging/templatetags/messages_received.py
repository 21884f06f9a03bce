"""Received messages in the pages: flags in words, the link "Voir le message" of a
timeline item."""

from django import template
from django.urls import reverse

from relation_client.messaging.display import flag_labels

register = template.Library()


@register.filter
def flags_in_words(flags) -> list[str]:
    return flag_labels(list(flags or []))


@register.simple_tag(takes_context=True)
def message_url(context, touchpoint) -> str:
    """The message page of an e-mail or form touchpoint, when the signed-in member of
    staff may open it ("" otherwise). The touchpoint carries `inbound_message_pk` (one
    LEFT JOIN in the timeline's query) and its request: the message page follows the
    request's rule (touchpoints.selectors.requests_workable: its agency's team, or its
    assignee) and is for the agencies' teams only (nav.workspace)."""
    pk = getattr(touchpoint, "inbound_message_pk", None)
    agent = context.get("current_agent")
    if not pk or agent is None or not context.get("nav", {}).get("workspace"):
        return ""
    request = touchpoint.request if touchpoint.request_id else None
    if request is None or not (
        request.agency_id == agent.agency_id or request.assignee_id == agent.pk
    ):
        return ""
    return reverse("messaging:detail", args=[pk])
