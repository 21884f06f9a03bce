"""The second factor (TOTP through django-otp) for the roles in OTP_REQUIRED_ROLES.

After the password, a holder of one of those roles reaches nothing but the second-factor
pages until this session is verified: the setup page when they have no confirmed device
yet, else the code page. The admin is behind it like every other page.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from agences.selectors import agent_for_user

# the pages a person who still owes the second factor may open
_OPEN_URL_NAMES = [
    "login",
    "logout",
    "set_language",
    "health",
    "otp_setup",
    "otp_verify",
    "session_keepalive",
]


def second_factor_required(user) -> bool:
    required = settings.OTP_REQUIRED_ROLES
    if not required:
        return False
    # the agent's role names come with the profile the page loads anyway: no extra query
    agent = agent_for_user(user=user)
    if agent is not None:
        return bool(required.intersection(agent.role_names))
    return user.groups.filter(name__in=required).exists()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not self._open(request)
            and second_factor_required(user)
        ):
            return self._refuse(request)
        return self.get_response(request)

    def _open(self, request) -> bool:
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        return request.path in {reverse(name) for name in _OPEN_URL_NAMES}

    def _refuse(self, request):
        if request.path.startswith("/api/"):
            detail = _("Validez le second facteur dans le navigateur avant d'utiliser l'API.")
            return JsonResponse(
                {"code": "second_factor_required", "field": None, "detail": detail}, status=403
            )
        name = "otp_verify" if confirmed_device(request.user) else "otp_setup"
        return redirect_to_login(request.get_full_path(), reverse(name))
