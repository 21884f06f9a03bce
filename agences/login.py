"""The login page, with a brake on password guessing.

After LOGIN_MAX_FAILURES failed attempts for one username, or from one address, within
LOGIN_WINDOW, further attempts are refused for the rest of the window (HTTP 429) —
even with the right password — and the page says so in French.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.utils.translation import gettext as _

WINDOW_SECONDS = 15 * 60


def _keys(request) -> list[str]:
    username = request.POST.get("username", "").strip().casefold()
    address = request.META.get("REMOTE_ADDR", "")
    # hashed: the cache holds no username in clear
    return [
        "login-fail:user:" + hashlib.sha256(username.encode()).hexdigest()[:32],
        "login-fail:addr:" + hashlib.sha256(address.encode()).hexdigest()[:32],
    ]


def _blocked(keys: list[str]) -> bool:
    limit = settings.LOGIN_MAX_FAILURES
    return any((cache.get(key) or 0) >= limit for key in keys)


class ThrottledLoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        keys = _keys(request)
        if _blocked(keys):
            form = self.get_form()
            form.errors.clear()
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    throttled=_(
                        "Trop de tentatives de connexion. Réessayez dans un quart d'heure, ou "
                        "demandez à votre superviseur de réinitialiser votre mot de passe."
                    ),
                ),
                status=429,
            )
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:  # the form came back: wrong credentials
            for key in keys:
                cache.add(key, 0, WINDOW_SECONDS)
                cache.incr(key)
        return response
