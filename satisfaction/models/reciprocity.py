"""Reciprocity: the climate of exchanges, incivility, and the employees' own pulse."""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from relation_client.touchpoints.models import Channel

CLIMATE_SCALE = (1, 5)  # 1 = très tendu … 5 = très cordial
PULSE_SCALE = (1, 5)
# fewer respondents than this and no pulse figure is shown, nor used in any total
PULSE_MIN_GROUP = 5


class ExchangeClimate(models.Model):
    """The agent's rating of how an exchange went for them."""

    touchpoint = models.OneToOneField(
        "touchpoints.Touchpoint", on_delete=models.CASCADE, related_name="exchange_climate"
    )
    agent = models.ForeignKey(
        "agences.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey("agences.Agency", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("canal"), max_length=20, choices=Channel)
    occurred_at = models.DateTimeField(_("date du contact"))
    rating = models.PositiveSmallIntegerField(_("climat de l'échange"))
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("climat d'un échange")
        verbose_name_plural = _("climats des échanges")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="climate_rating_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5"


class IncivilityDirection(models.TextChoices):
    AGAINST_STAFF = "against_staff", _("Comportement d'un client envers un agent")
    BY_STAFF = "by_staff", _("Plainte d'un client au sujet d'un membre du personnel")


class IncivilityKind(models.TextChoices):
    INSULT = "insult", _("Insultes, propos injurieux")
    THREAT = "threat", _("Menaces")
    PHYSICAL = "physical", _("Agression physique")
    DISCRIMINATION = "discrimination", _("Propos ou acte discriminatoire")
    HARASSMENT = "harassment", _("Harcèlement")
    RUDENESS = "rudeness", _("Impolitesse, manque de respect")
    REFUSAL = "refusal", _("Refus d'obtempérer ou de présenter un titre")
    DAMAGE = "damage", _("Dégradation")
    OTHER = "other", _("Autre")


class Severity(models.IntegerChoices):
    LOW = 1, _("Faible")
    MEDIUM = 2, _("Moyenne")
    HIGH = 3, _("Grave")
    CRITICAL = 4, _("Très grave")


class IncivilityPlace(models.TextChoices):
    COUNTER = "counter", _("En agence, au guichet")
    PHONE = "phone", _("Au téléphone")
    ON_BOARD = "on_board", _("À bord d'un véhicule")
    STATION = "station", _("En station ou à un arrêt")
    ONLINE = "online", _("En ligne (e-mail, réseaux sociaux)")
    OTHER = "other", _("Ailleurs")


class IncivilityStatus(models.TextChoices):
    REPORTED = "reported", _("Signalé")
    ACKNOWLEDGED = "acknowledged", _("Pris en compte")
    SUPPORT_OFFERED = "support_offered", _("Soutien proposé à l'agent")
    CLOSED = "closed", _("Clos")


class IncivilityReport(models.Model):
    """An incivility: by a customer towards a member of staff, or a customer's complaint
    about staff. Seen by the agent concerned, the person who filed it and the managers of
    the agency, never by other agents."""

    direction = models.CharField(_("sens"), max_length=14, choices=IncivilityDirection)
    kind = models.CharField(_("type"), max_length=16, choices=IncivilityKind)
    severity = models.PositiveSmallIntegerField(_("gravité"), choices=Severity)
    place = models.CharField(_("lieu"), max_length=10, choices=IncivilityPlace)
    line_or_station = models.CharField(_("ligne ou station"), max_length=120, blank=True)
    witnesses = models.TextField(_("témoins"), blank=True)
    description = models.TextField(_("ce qui s'est passé"))
    occurred_at = models.DateTimeField(_("date des faits"))
    agency = models.ForeignKey(
        "agences.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agence")
    )
    # the member of staff concerned: the one who suffered it, or the one complained about
    agent = models.ForeignKey(
        "agences.Agent",
        on_delete=models.PROTECT,
        related_name="incivilities",
        verbose_name=_("agent concerné"),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("client"),
    )
    reported_by = models.ForeignKey(
        "agences.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("déclaré par")
    )
    status = models.CharField(
        _("suivi"), max_length=16, choices=IncivilityStatus, default=IncivilityStatus.REPORTED
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "agences.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    support_offered_at = models.DateTimeField(null=True, blank=True)
    support_note = models.TextField(_("soutien proposé"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "agences.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closing_note = models.TextField(_("conclusion"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signalement d'incivilité")
        verbose_name_plural = _("signalements d'incivilité")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # the managers' list of their agency's reports, newest first
            models.Index(fields=["agency", "-occurred_at"], name="incivility_agency"),
            # an agent's own list: reports about them
            models.Index(fields=["agent", "-occurred_at"], name="incivility_agent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.occurred_at:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("satisfaction:incivility_detail", args=[self.pk])


class PulseResponse(models.Model):
    """One agent's monthly pulse, with no way back to the agent: no agent column, no
    timestamp, and a random key instead of a sequence that could be matched, in order,
    against the PulseMarker rows written in the same transaction."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey("agences.Agency", on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("mois"))
    engagement = models.PositiveSmallIntegerField(pgettext_lazy("pulse", "engagement"))
    workload = models.PositiveSmallIntegerField(_("charge de travail supportable"))
    support = models.PositiveSmallIntegerField(_("sentiment d'être soutenu"))

    class Meta:
        verbose_name = _("réponse au ressenti de l'équipe")
        verbose_name_plural = _("réponses au ressenti de l'équipe")
        constraints = [
            models.CheckConstraint(
                condition=Q(engagement__range=PULSE_SCALE)
                & Q(workload__range=PULSE_SCALE)
                & Q(support__range=PULSE_SCALE),
                name="pulse_scores_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period:%m/%Y}"


class PulseMarker(models.Model):
    """'This agent has answered this month's pulse' — and nothing about the answer."""

    agent = models.ForeignKey("agences.Agent", on_delete=models.CASCADE, related_name="+")
    period = models.DateField(_("mois"))

    class Meta:
        verbose_name = _("participation au ressenti de l'équipe")
        verbose_name_plural = _("participations au ressenti de l'équipe")
        constraints = [
            models.UniqueConstraint(fields=["agent", "period"], name="pulse_once_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.period:%m/%Y}"
