"""« Camille Martin consulte aussi cette demande » : the agents who have a request open at
the same time see each other, so that two people do not answer the same customer twice.
Who is there is kept in Redis (relation_client.live.presence); the page says it is there
when it opens, then every HEARTBEAT_SECONDS (static/js/presence.js), and that it leaves.
"""

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agences.models import Agent
from relation_client.live.presence import (
    HEARTBEAT_SECONDS,
    presence_agents,
    presence_arrive,
    presence_leave,
    presence_tell_others,
)

__all__ = ["HEARTBEAT_SECONDS", "request_presence_mark", "request_presence_leave"]


def request_presence_mark(*, request_id: int, agent: Agent) -> str:
    """The agent has the request open (the page, or its heartbeat): the others are told
    when they arrive; the sentence naming the others who have it open ("" alone)."""
    if presence_arrive(request_id=request_id, agent_id=agent.pk):
        presence_tell_others(request_id=request_id, agent_id=agent.pk)
    others = [pk for pk in presence_agents(request_id=request_id) if pk != agent.pk]
    return presence_sentence(_names(others))


def request_presence_leave(*, request_id: int, agent: Agent) -> None:
    """The agent's page left the request: the others' pages stop naming them at once."""
    if presence_leave(request_id=request_id, agent_id=agent.pk):
        presence_tell_others(request_id=request_id, agent_id=agent.pk)


def _names(agent_ids: list[int]) -> list[str]:
    if not agent_ids:
        return []  # alone on the request, the usual case: no query
    # in the order of their names: the sentence does not change with each heartbeat (a
    # screen reader would read it out again)
    return list(
        Agent.objects.filter(pk__in=agent_ids)
        .order_by("display_name", "pk")
        .values_list("display_name", flat=True)
    )


def presence_sentence(names: list[str]) -> str:
    if not names:
        return ""
    return ngettext(
        "%(names)s consulte aussi cette demande.",
        "%(names)s consultent aussi cette demande.",
        len(names),
    ) % {"names": get_text_list(names, _("et"))}
