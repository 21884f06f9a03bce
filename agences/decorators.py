from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

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
