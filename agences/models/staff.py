"""Agencies, their agents (the staff profile of a user) and the agents' absences."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def default_opening_hours() -> dict:
    """Monday to Friday 8:30–18:00, Saturday morning: ISO weekday -> list of [open, close]."""
    week = {str(day): [["08:30", "18:00"]] for day in range(1, 6)}
    week["6"] = [["09:00", "12:30"]]
    return week


class Agency(models.Model):
    """A commercial agency of the network: where customers are received and staff work."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    city = models.CharField(_("ville"), max_length=120)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    phone = models.CharField(_("téléphone"), max_length=32, blank=True)
    phone_queue = models.CharField(
        _("file d'appels"),
        max_length=40,
        blank=True,
        help_text=_("Le nom de la file de l'agence dans l'autocommutateur (routage des appels)."),
    )
    # the agency's working hours: deadlines count only these (see the workspace issue)
    monthly_gesture_budget = models.DecimalField(
        _("budget mensuel de gestes commerciaux (€)"), max_digits=9, decimal_places=2, default=500
    )
    opening_hours = models.JSONField(
        _("heures d'ouverture"),
        default=default_opening_hours,
        help_text=_("Par jour ISO (1 = lundi) : liste de plages [ouverture, fermeture]."),
    )

    class Meta:
        verbose_name = _("agence")
        verbose_name_plural = _("agences")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agent(models.Model):
    """A member of staff: one per user account, attached to an agency."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agent",
        verbose_name=_("compte"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="agents", verbose_name=_("agence")
    )
    display_name = models.CharField(
        _("nom affiché"),
        max_length=120,
        help_text=_("Le nom sous lequel les clients vous connaissent."),
    )
    phone_extension = models.CharField(_("poste téléphonique"), max_length=10, blank=True)
    languages = ArrayField(
        models.CharField(max_length=8),
        default=list,
        blank=True,
        verbose_name=_("langues parlées"),
        help_text=_("Codes ISO 639-1, par exemple fr, en, es."),
    )

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["display_name"]
        permissions = [
            ("view_agency_figures", _("Voir les indicateurs de son agence")),
            ("view_network_figures", _("Voir les indicateurs de tout le réseau")),
            ("approve_gesture", _("Approuver un geste commercial au-delà de la limite")),
            ("merge_customers", _("Fusionner deux fiches client")),
            ("manage_campaigns", _("Piloter les campagnes de reconquête")),
            ("use_privacy_tools", _("Utiliser les outils RGPD (accès, effacement)")),
            ("unlock_agent", _("Débloquer le compte d'un agent de son agence")),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("admin:agences_agent_change", args=[self.pk])

    @property
    def first_name(self) -> str:
        return self.display_name.split(" ", 1)[0]


class AgentAbsence(models.Model):
    """Days an agent is away: the caller box says whether the usual contact is in today."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="absences")
    start = models.DateField(_("du"))
    end = models.DateField(_("au"))
    reason = models.CharField(_("motif"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="absence_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent} : {self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"
