from django.conf import settings

from agences import roles
from agences.permissions import (
    MANAGE_ANSWER_TEMPLATES,
    MANAGE_CAMPAIGNS,
    MERGE_CUSTOMERS,
    UNLOCK_AGENT,
    VIEW_AGENCY_FIGURES,
    VIEW_CYCLE,
)
from agences.selectors import agent_for_user
from agences.sessions import session_seconds_left


def _nav(role_names: list[str]) -> dict:
    """What the navigation and the pages offer, from the role names loaded with the agent
    (no query): a link a role cannot open, or an action it may not take, is not shown.
    The one mechanism for templates (`nav.workspace`, `nav.merge`…); a rule that depends
    on the object shown too (a request of another agency) is a filter of its app
    (touchpoints' `workable_by`)."""
    names = set(role_names)
    if roles.ADMINISTRATOR in names:
        granted = None  # every permission
    else:
        granted = {p for name in names for p in roles.ROLE_PERMISSIONS.get(name, [])}

    def may(permission: str) -> bool:
        return granted is None or permission in granted

    return {
        "workspace": roles.works_in_workspace(names),
        "figures": may(VIEW_AGENCY_FIGURES),
        "campaigns": may(MANAGE_CAMPAIGNS),
        "cycle": may(VIEW_CYCLE),
        "privacy": bool({roles.DPO, roles.ADMINISTRATOR} & names),
        "unlock": may(UNLOCK_AGENT),
        # the customer page and the duplicate warnings link to the merge page
        "merge": may(MERGE_CUSTOMERS),
        "answer_templates": may(MANAGE_ANSWER_TEMPLATES),
    }


def current_agent(request) -> dict:
    """The signed-in agent (with their agency), for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_agent": None, "nav": {}}
    agent = agent_for_user(user=user)
    return {
        "current_agent": agent,
        "nav": _nav(agent.role_names if agent else []),
        # what static/js/session.js needs to warn before the session ends
        "session_limits": {
            "left": session_seconds_left(request),
            "idle": settings.SESSION_IDLE_SECONDS,
            "warning": settings.SESSION_WARNING_SECONDS,
        },
    }
