"""The one place where views check access. Each name has one meaning:

- `agent_required`: signed in with an agent profile; the view finds it on
  `request.agent` (with its agency and role names, one query).
- `workspace_required`: `agent_required`, for the agencies' daily work (customers,
  requests, figures): the data-protection officer's role alone does not open it.
- `permission_required(NAME, message)`: `agent_required` and the permission (names in
  agences.permissions); refused with a French reason.
- `partner_member_required`: signed in as a partner's person holding the partner role;
  the view finds them on `request.partner_member`.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from agences.permissions import ANSWER_ESCALATED_REQUESTS
from agences.roles import works_in_workspace
from agences.selectors import agent_for_user, partner_member_for_user


def agent_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        agent = agent_for_user(user=request.user)
        if agent is None:
            raise PermissionDenied(
                _(
                    "Votre rôle ne permet pas d'ouvrir cette page : elle est réservée au personnel des agences."
                )
            )
        request.agent = agent
        return view(request, *args, **kwargs)

    return wrapper


def workspace_required(view):
    # the role names come with the agent (agent_for_user): no extra query
    @agent_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not works_in_workspace(request.agent.role_names):
            raise PermissionDenied(_("Cette page est réservée aux équipes des agences."))
        return view(request, *args, **kwargs)

    return wrapper


def permission_required(permission: str, message=None):
    def decorate(view):
        @agent_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied(message or _("Vous n'avez pas les droits pour cette page."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def partner_member_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        member = partner_member_for_user(user=request.user)
        if member is None or not request.user.has_perm(ANSWER_ESCALATED_REQUESTS):
            raise PermissionDenied(_("Cet espace est réservé aux partenaires."))
        request.partner_member = member
        return view(request, *args, **kwargs)

    return wrapper
