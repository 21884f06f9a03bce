"""Signing out closes that session's event stream at once, wherever its page is open (a
second tab on a shared counter machine): its stream would otherwise carry the agent's
callers' names until the session's own end."""

from agences.models import Agent
from relation_client import live


def session_ended(sender, request, user, **kwargs) -> None:
    if user is None or request is None:
        return
    agent_id = Agent.objects.filter(user=user).values_list("pk", flat=True).first()
    if agent_id is None:
        return
    live.publish(
        agent_ids=[agent_id],
        event=live.SESSION_ENDED,
        data={"session": live.session_tag(request.session.session_key)},
    )
