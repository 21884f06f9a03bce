import secrets
import uuid

from django.contrib.postgres.fields import ArrayField
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SECRET_PREFIX = "whsec_"


def secret_generate() -> str:
    return f"{SECRET_PREFIX}{secrets.token_urlsafe(32)}"


class EventKind(models.TextChoices):
    REQUEST_OPENED = "request.opened", _("Demande ouverte")
    ALERT_RAISED = "alert.raised", _("Alerte levée")
    CUSTOMER_WON_BACK = "customer.won_back", _("Client reconquis")


class WebhookEndpoint(models.Model):
    """A partner application's address, told about the events it subscribed to."""

    name = models.CharField(_("application"), max_length=120)
    url = models.URLField(
        _("adresse"), max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    # kept in clear: signing needs it (the raw value is only shown once, like API tokens)
    secret = models.CharField(max_length=80, editable=False)
    events = ArrayField(
        models.CharField(max_length=30, choices=EventKind),
        verbose_name=_("événements"),
        default=list,
    )
    active = models.BooleanField(_("actif"), default=True)
    # the application fetches the details through the API with this token; once it is
    # revoked, the endpoint hears nothing more
    token = models.ForeignKey(
        "api.ApiToken",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
        verbose_name=_("jeton d'API de l'application"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("point de réception de webhooks")
        verbose_name_plural = _("points de réception de webhooks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    DELIVERED = "delivered", _("Remis")
    FAILED = "failed", _("Abandonné")


class WebhookDelivery(models.Model):
    """The outbox and the delivery log: one event for one endpoint, and how sending went."""

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("point de réception"),
    )
    event = models.CharField(_("événement"), max_length=30, choices=EventKind)
    # the same for every endpoint told about one event: receivers deduplicate on it
    event_id = models.UUIDField(_("identifiant de l'événement"), default=uuid.uuid4)
    payload = models.JSONField(_("contenu"))
    status = models.CharField(
        _("statut"), max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"))
    # fencing: each hand-over to a worker bumps `dispatch`; a task carrying an older
    # number finds nothing to claim, so one delivery is never sent by two workers at once
    dispatch = models.PositiveIntegerField(default=1)
    dispatched_at = models.DateTimeField(_("confié au worker le"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("dernier code HTTP"), null=True)
    last_error = models.CharField(_("dernière erreur"), max_length=200, blank=True)
    delivered_at = models.DateTimeField(_("remis le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("envoi de webhook")
        verbose_name_plural = _("envois de webhooks")
        ordering = ["-created_at", "-id"]
        indexes = [
            # webhooks_sweep: pending deliveries whose next attempt is due
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_due",
                condition=Q(status="pending"),
            ),
            # the log in the admin, filtered by status; webhooks_purge by age
            models.Index(fields=["status", "created_at"], name="webhook_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.event_id})"
