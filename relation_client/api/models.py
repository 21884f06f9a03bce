import hashlib
import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    CUSTOMERS_READ = "customers:read", _("Lire les clients")
    CUSTOMERS_WRITE = "customers:write", _("Créer et modifier les clients")
    TOUCHPOINTS_WRITE = "touchpoints:write", _("Enregistrer des contacts")
    REQUESTS_READ = "requests:read", _("Lire les demandes")
    RIDERSHIP_WRITE = "ridership:write", _("Envoyer la fréquentation et les abonnements")
    SURVEYS_WRITE = "surveys:write", _("Envoyer des réponses d'enquête")
    INDICATORS_READ = "indicators:read", _("Lire les indicateurs")
    TELEPHONY = "telephony", _("Autocommutateur : routage des appels et événements")


TOKEN_PREFIX = "rc_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_generate() -> tuple[str, str, str]:
    """(the token shown once, its public prefix, the hash we keep)."""
    lookup = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{lookup}_{secrets.token_urlsafe(32)}"
    return raw, lookup, token_hash(raw)


class ApiToken(models.Model):
    """A partner application's key: stored hashed, shown once, with its scopes."""

    name = models.CharField(_("application"), max_length=120)
    # the public part of the token, to find the row; the secret is only hashed
    lookup = models.CharField(_("préfixe"), max_length=8, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = ArrayField(
        models.CharField(max_length=30, choices=Scope), verbose_name=_("droits"), default=list
    )
    # writes made with the token are logged in this agent's name and agency
    agent = models.ForeignKey(
        "agences.Agent",
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("agent de rattachement"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({TOKEN_PREFIX}{self.lookup}_…)"


class IdempotencyRecord(models.Model):
    """The first answer to a write sent with an Idempotency-Key, replayed on retries."""

    principal = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    # null while the first request is still being processed
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["principal", "key"], name="idempotency_unique_key")
        ]
        # idempotency_purge() deletes by age
        indexes = [models.Index(fields=["created_at"], name="idempotency_age")]

    def __str__(self) -> str:
        return f"{self.principal} {self.key}"
