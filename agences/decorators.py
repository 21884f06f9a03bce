from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from agences.roles import WORKSPACE_ROLES
from agences.selectors import agent_for_user


def agent_required(view):
    """Signed in and attached to an agency: the view gets `request.agent`."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        agent = agent_for_user(user=request.user)
        if agent is None:
            raise PermissionDenied
        request.agent = agent
        return view(request, *args, **kwargs)

    return wrapper


def workspace_required(view):
    """agent_required, for the agencies' daily work (logging exchanges, requests, figures):
    the data-protection officer's role alone does not open it. The role names come with
    the agent (agent_for_user): no extra query."""

    @agent_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not WORKSPACE_ROLES.intersection(request.agent.role_names):
            raise PermissionDenied(_("Cette page est réservée aux équipes des agences."))
        return view(request, *args, **kwargs)

    return wrapper
