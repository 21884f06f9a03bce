"""A call as the phone system told us about it, and each event it posted."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CallState(models.TextChoices):
    RINGING = "ringing", _("Sonne")
    ANSWERED = "answered", _("Décroché")
    TRANSFERRED = "transferred", _("Transféré")
    ENDED = "ended", _("Terminé")
    MISSED = "missed", _("Manqué")


class CallEventKind(models.TextChoices):
    RINGING = "ringing", _("Sonnerie")
    ANSWERED = "answered", _("Décroché")
    TRANSFERRED = "transferred", _("Transfert")
    HUNG_UP = "hung_up", _("Raccroché")
    MISSED = "missed", _("Manqué")


class RouteTarget(models.TextChoices):
    USUAL_CONTACT = "usual_contact", _("Interlocuteur habituel")
    AGENCY_QUEUE = "agency_queue", _("File de l'agence")
    NETWORK_QUEUE = "network_queue", _("File du réseau")


class Call(models.Model):
    """One inbound call, known by the phone system's call id."""

    call_id = models.CharField(_("identifiant de l'appel"), max_length=120, unique=True)
    caller_number = models.CharField(_("numéro appelant"), max_length=40)
    # the number in E.164 when it could be read ("" for a withheld or odd number)
    caller_e164 = models.CharField(max_length=20, blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("client"),
    )
    # where routing sent it, and who it rang / who took it
    routed_to = models.CharField(_("routé vers"), max_length=16, choices=RouteTarget, blank=True)
    routed_agent = models.ForeignKey(
        "agences.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    extension = models.CharField(_("poste"), max_length=10, blank=True)
    agent = models.ForeignKey(
        "agences.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("agent"),
    )
    state = models.CharField(_("état"), max_length=12, choices=CallState)
    started_at = models.DateTimeField(_("début"))
    answered_at = models.DateTimeField(_("décroché le"), null=True, blank=True)
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)
    touchpoint = models.OneToOneField(
        "touchpoints.Touchpoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call",
    )
    # a missed call for a usual contact: the request "to call back" in their queue
    callback = models.ForeignKey(
        "touchpoints.Request",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="missed_calls",
    )

    class Meta:
        verbose_name = _("appel")
        verbose_name_plural = _("appels")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["agent", "-started_at"], name="call_agent_recent"),
            models.Index(
                fields=["agent", "-ended_at"],
                condition=Q(touchpoint__isnull=True, state="ended"),
                name="call_to_log",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.caller_number} {self.started_at:%d/%m/%Y %H:%M}"

    @property
    def duration_seconds(self) -> int | None:
        if self.answered_at and self.ended_at:
            return max(0, int((self.ended_at - self.answered_at).total_seconds()))
        return None


class CallEvent(models.Model):
    """What the phone system posted, as it posted it; the same event twice is one row."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("événement"), max_length=12, choices=CallEventKind)
    at = models.DateTimeField(_("le"))
    extension = models.CharField(_("poste"), max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("événement d'appel")
        verbose_name_plural = _("événements d'appel")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "kind", "at", "extension"], name="call_event_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.call_id} {self.kind}"
