"""Lost customers: the detection thresholds of each segment, and the cases they open."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from reconquete.models.subscriptions import Subscription


def default_baseline_start() -> datetime.date:
    return datetime.date(2019, 1, 1)


def default_baseline_end() -> datetime.date:
    return datetime.date(2019, 12, 1)


class ReconquestSettings(models.Model):
    """Detection thresholds of a segment; the row without segment is the network's default,
    and the field defaults apply when neither exists."""

    segment = models.OneToOneField(
        "customers.Segment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reconquest_settings",
        verbose_name=_("segment"),
    )
    baseline_start = models.DateField(
        _("période de référence : premier mois"), default=default_baseline_start
    )
    baseline_end = models.DateField(
        _("période de référence : dernier mois"), default=default_baseline_end
    )
    grace_days = models.PositiveSmallIntegerField(
        _("délai de renouvellement (jours)"),
        default=30,
        help_text=_("Un abonnement non renouvelé après ce délai compte comme perdu."),
    )
    drop_months = models.PositiveSmallIntegerField(
        _("mois observés (K)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("La fréquentation est comparée sur les K derniers mois complets."),
    )
    drop_percent = models.PositiveSmallIntegerField(
        _("seuil de baisse (X %)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Perdu sous X % de la moyenne de référence."),
    )
    inactive_months = models.PositiveSmallIntegerField(
        _("mois sans voyage (M)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    attribution_days = models.PositiveSmallIntegerField(
        _("fenêtre d'attribution (jours)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Un retour est attribué au dernier contact de reconquête de cette fenêtre."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("paramètres de détection")
        verbose_name_plural = _("paramètres de détection")
        constraints = [
            # at most one network-wide row (segment NULL)
            models.UniqueConstraint(
                fields=["segment"], name="reconquest_settings_one_per_segment", nulls_distinct=False
            ),
            models.CheckConstraint(
                condition=Q(baseline_end__gte=models.F("baseline_start")),
                name="reconquest_settings_baseline_order",
            ),
        ]

    def __str__(self) -> str:
        return str(self.segment) if self.segment_id else str(_("Réseau (par défaut)"))

    @property
    def baseline_months(self) -> int:
        start, end = self.baseline_start, self.baseline_end
        return (end.year - start.year) * 12 + end.month - start.month + 1


class CaseReason(models.TextChoices):
    LAPSED_SUBSCRIPTION = "lapsed_subscription", _("Abonnement non renouvelé")
    RIDERSHIP_DROP = "ridership_drop", _("Fréquentation en forte baisse")
    INACTIVE = "inactive", _("Ne voyage plus")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Ouvert")
    WON_BACK = "won_back", _("Reconquis")
    CLOSED = "closed", _("Clos")


class ReconquestCase(models.Model):
    """A lost customer: why, since when, the numbers behind it, and how it ended."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="reconquest_cases",
        verbose_name=_("client"),
    )
    reason = models.CharField(_("motif"), max_length=20, choices=CaseReason)
    status = models.CharField(
        _("statut"), max_length=10, choices=CaseStatus, default=CaseStatus.OPEN
    )
    # copied from the customer at opening: a case counts where it was lost, even if the
    # customer moves to another agency or segment later
    agency = models.ForeignKey(
        "agences.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agence"),
    )
    segment = models.ForeignKey(
        "customers.Segment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("segment"),
    )
    lost_since = models.DateField(_("perdu depuis"))
    # the first month whose ridership can show a return (the detection month)
    watch_from = models.DateField(_("retour observé à partir de"))
    opened_at = models.DateTimeField(_("ouvert le"))
    won_back_at = models.DateTimeField(_("reconquis le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    # when the row last changed (opened, won back, closed): the incremental refresh of the
    # indicators starts from here, as a return is dated in the past (the month it shows)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True, db_default=Now())
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("abonnement non renouvelé"),
    )
    baseline_trips = models.DecimalField(
        _("voyages par mois (référence)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    recent_trips = models.DecimalField(
        _("voyages par mois (récents)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    threshold_trips = models.DecimalField(
        _("seuil de retour (voyages par mois)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    details = models.JSONField(_("chiffres"), default=dict, blank=True)
    attributed_campaign = models.ForeignKey(
        "Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="won_back_cases",
        verbose_name=_("campagne attribuée"),
    )
    attributed_touchpoint = models.ForeignKey(
        "touchpoints.Touchpoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact attribué"),
    )

    class Meta:
        verbose_name = _("dossier de reconquête")
        verbose_name_plural = _("dossiers de reconquête")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # detection's ON CONFLICT (customer_id) WHERE status = 'open' DO NOTHING
            models.UniqueConstraint(
                fields=["customer"], condition=Q(status="open"), name="reconquest_case_one_open"
            ),
            models.CheckConstraint(
                condition=~Q(status="won_back") | Q(won_back_at__isnull=False),
                name="reconquest_case_won_back_dated",
            ),
        ]
        indexes = [
            # win-back closing scans the open cases of each reason
            models.Index(fields=["reason"], condition=Q(status="open"), name="case_open_reason"),
            # indicators: cases opened, and won back, in a range of months
            models.Index(fields=["opened_at"], name="case_opened_at"),
            models.Index(
                fields=["won_back_at"], condition=Q(status="won_back"), name="case_won_back_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.get_status_display()})"
