"""Who may call the API.

Staff signed in with a session act as themselves: any member of staff with an agent
profile reads; writing (POST, PATCH…) is for the agencies' teams — the data-protection
officer reads through the API as on the pages, and records nothing. A partner
application's token acts in the name of its agent, and only within its scopes: every
view declares the scope each HTTP method needs (`required_scopes = {"GET":
"customers:read", ...}`); a method a view does not declare is refused to tokens.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from agences.roles import WORKSPACE_ROLES
from agences.selectors import agent_for_user
from relation_client.api.models import ApiToken


class IsStaffAgent(BasePermission):
    """A logged-in user with an Agent profile, or a token holding the method's scope."""

    message = _(
        "Ce compte n'est rattaché à aucun agent : l'API est réservée au personnel des agences."
    )
    code = "no_agent_profile"

    def has_permission(self, request, view) -> bool:
        user = request.user
        # hasattr: the reverse one-to-one raises when the user has no Agent row
        if not (user and user.is_authenticated and hasattr(user, "agent")):
            return False
        if not hasattr(view, request.method.lower()):
            return True  # a method the endpoint does not have: DRF answers 405 with Allow
        if isinstance(request.auth, ApiToken):
            needed = getattr(view, "required_scopes", {}).get(request.method)
            if needed is None or needed not in request.auth.scopes:
                raise PermissionDenied(
                    _("Ce jeton n'a pas le droit « %(scope)s ».") % {"scope": needed or "—"},
                    code="insufficient_scope",
                )
        elif request.method not in SAFE_METHODS:
            # role names come with the agent in one query: only writes pay for it
            agent = agent_for_user(user=user)
            if not WORKSPACE_ROLES.intersection(agent.role_names):
                raise PermissionDenied(
                    _("Votre rôle permet de consulter, pas d'enregistrer."),
                    code="read_only_role",
                )
        return True


class IsPhoneSystem(IsStaffAgent):
    """The phone system's token only: a person's session neither routes calls nor posts
    call events (a forged "missed" would open callback requests)."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if not isinstance(request.auth, ApiToken):
            raise PermissionDenied(
                _("Réservé à l'autocommutateur, avec son jeton d'API."), code="phone_system_only"
            )
        return True
