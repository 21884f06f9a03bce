"""Per-application tokens: `Authorization: Bearer rc_<prefix>_<secret>`."""

import datetime
import hmac

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from relation_client.api.models import TOKEN_PREFIX, ApiToken, token_hash

# last use is recorded at most this often: not one write per request
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_from_header(value: str) -> str | None:
    scheme, _sep, raw = value.partition(" ")
    if scheme.lower() != "bearer" or not raw.startswith(TOKEN_PREFIX):
        return None
    return raw.strip()


def token_find(raw: str) -> ApiToken | None:
    """The live token for this raw value, compared in constant time."""
    lookup = raw[len(TOKEN_PREFIX) :].split("_", 1)[0]
    token = (
        ApiToken.objects.select_related("agent__user", "agent__agency")
        .filter(lookup=lookup, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, token_hash(raw)):
        return None
    return token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        raw = token_from_header(request.META.get("HTTP_AUTHORIZATION", ""))
        if raw is None:
            return None
        token = token_find(raw)
        if token is None or not token.agent.user.is_active:
            raise exceptions.AuthenticationFailed(_("Jeton d'API inconnu ou révoqué."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.agent.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The bearer token in the OpenAPI schema (and Swagger UI's Authorize button)."""

    target_class = "relation_client.api.authentication.ApiTokenAuthentication"
    name = "jetonApplication"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Jeton d'application partenaire : rc_<préfixe>_<secret>.",
        }
