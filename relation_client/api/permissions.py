"""Who may call the API.

Today: members of staff logged in with a session. Per-application tokens with scopes
(partners) arrive later as their own authentication and permission classes, combined
with these on each view (`IsStaffAgent | HasScope("customers:read")`).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class IsStaffAgent(BasePermission):
    """A logged-in user with an Agent profile: touchpoints are logged in that agent's
    name and agency. Anonymous callers get DRF's not_authenticated instead."""

    message = _(
        "Ce compte n'est rattaché à aucun agent : l'API est réservée au personnel des agences."
    )
    code = "no_agent_profile"

    def has_permission(self, request, view) -> bool:
        user = request.user
        # hasattr: the reverse one-to-one raises when the user has no Agent row
        return bool(user and user.is_authenticated and hasattr(user, "agent"))
