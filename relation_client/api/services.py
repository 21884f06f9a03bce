"""Issuing and revoking partner tokens."""

from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import Agent
from relation_client.api.models import ApiToken, Scope, token_generate
from socle.errors import DomainError


def api_token_create(
    *, name: str, agent: Agent, scopes: list[str], created_by=None
) -> tuple[ApiToken, str]:
    """The new token and its raw value, which is shown once and never stored."""
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise DomainError(
            "invalid_scope", _("Droit inconnu : %(scope)s.") % {"scope": unknown[0]}, field="scopes"
        )
    raw, lookup, digest = token_generate()
    token = ApiToken.objects.create(
        name=name,
        lookup=lookup,
        key_hash=digest,
        scopes=sorted(set(scopes)),
        agent=agent,
        created_by=created_by,
    )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token
