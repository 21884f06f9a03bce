"""The indicator snapshots the dashboard reads (written by services/indicators.py)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# the BackgroundRun kind of a recompute of these snapshots (relation_client/runs)
INDICATORS_RUN = "reconquest_indicators"


class SnapshotDimension(models.TextChoices):
    TOTAL = "total", _("Ensemble")
    SEGMENT = "segment", _("Segment")
    CAMPAIGN = "campaign", _("Campagne")
    CHANNEL = "channel", _("Canal")


class ReconquestSnapshot(models.Model):
    """Indicators of one Paris calendar month, for a scope (the network when agency is
    empty, else one agency) broken down by a dimension: the dashboard reads only these."""

    period = models.DateField(_("mois"))
    agency = models.ForeignKey(
        "agences.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    dimension = models.CharField(_("axe"), max_length=10, choices=SnapshotDimension)
    # segment or campaign id, channel code; "" for the total (and for "no segment")
    key = models.CharField(_("clé"), max_length=40, blank=True)
    label = models.CharField(_("libellé"), max_length=120, blank=True)
    lost = models.IntegerField(_("perdus"), null=True)
    targeted = models.IntegerField(_("ciblés"), null=True)
    contacted = models.IntegerField(_("contactés"), null=True)
    reached = models.IntegerField(_("joints"), null=True)
    accepted = models.IntegerField(_("offres acceptées"), null=True)
    won_back = models.IntegerField(_("reconquis"), null=True)
    # the month's cohort (lost, targeted or first contacted) and how many came back
    cohort = models.IntegerField(_("cohorte"), null=True)
    won_back_30 = models.IntegerField(_("reconquis sous 30 jours"), null=True)
    won_back_90 = models.IntegerField(_("reconquis sous 90 jours"), null=True)
    median_days = models.FloatField(_("délai médian (jours)"), null=True)
    trips = models.BigIntegerField(_("voyages"), null=True)
    baseline_trips = models.DecimalField(
        _("voyages de référence"), max_digits=16, decimal_places=4, null=True
    )
    new_customers = models.IntegerField(_("nouveaux clients"), null=True)
    computed_at = models.DateTimeField(_("calculé le"))

    class Meta:
        verbose_name = _("instantané d'indicateurs")
        verbose_name_plural = _("instantanés d'indicateurs")
        ordering = ["period", "dimension", "key"]
        constraints = [
            # each statement of snapshot_compute upserts its columns on this key
            models.UniqueConstraint(
                fields=["period", "agency", "dimension", "key"],
                name="reconquest_snapshot_key",
                nulls_distinct=False,
            )
        ]
        # the dashboard: one scope's rows over twelve months (and the period's agencies)
        indexes = [models.Index(fields=["dimension", "period"], name="snapshot_dimension_period")]

    def __str__(self) -> str:
        return f"{self.period:%m/%Y} {self.dimension} {self.key}"

    @staticmethod
    def _ratio(part, whole) -> Decimal | None:
        if part is None or not whole:
            return None
        return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))

    @property
    def rate_30(self) -> Decimal | None:
        return self._ratio(self.won_back_30, self.cohort)

    @property
    def rate_90(self) -> Decimal | None:
        return self._ratio(self.won_back_90, self.cohort)

    @property
    def recovery(self) -> Decimal | None:
        return self._ratio(self.trips, self.baseline_trips)
