"""Indicator snapshots written by indicators_compute, read by the dashboard (its runs are
the core's BackgroundRun, relation_client/runs)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

MIN_SAMPLE = 30  # fewer answers than this and no gap is shown
# the BackgroundRun kind of a recompute of these snapshots (relation_client/runs)
INDICATORS_RUN = "satisfaction_indicators"


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Mois")
    QUARTER = "quarter", _("Trimestre")
    YEAR = "year", _("Année")


def _count(label):
    return models.PositiveIntegerField(label, default=0)


def _points(label):
    return models.DecimalField(label, max_digits=6, decimal_places=2, null=True, blank=True)


class GapSnapshot(models.Model):
    """Customers' satisfaction against staff's estimate for one Paris period, one agency
    (null: the whole network) and one channel ('' : every channel). Scores are on 0–100."""

    period_kind = models.CharField(_("période"), max_length=7, choices=PeriodKind)
    period = models.DateField(_("début de période"))
    agency = models.ForeignKey(
        "agences.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("canal"), max_length=20, blank=True)
    answers_n = _count(_("réponses"))
    real_score = _points(_("satisfaction réelle"))
    real_sd = _points(_("écart type"))
    real_ci_low = _points(_("IC 95 % bas"))
    real_ci_high = _points(_("IC 95 % haut"))
    satisfied_n = _count(_("clients satisfaits"))
    satisfied_share = _points(_("part de satisfaits"))
    satisfied_ci_low = _points(_("IC 95 % bas"))
    satisfied_ci_high = _points(_("IC 95 % haut"))
    paired_n = _count(_("réponses avec estimation"))
    paired_real_score = _points(_("satisfaction réelle (mêmes contacts)"))
    estimate_score = _points(_("estimation du personnel"))
    gap = _points(_("écart (estimation − réel)"))
    gap_ci_low = _points(_("IC 95 % bas"))
    gap_ci_high = _points(_("IC 95 % haut"))
    barometer_n = _count(_("réponses au baromètre"))
    barometer_share = _points(_("part de satisfaits selon le baromètre"))
    barometer_gap = _points(_("écart du baromètre"))
    barometer_gap_ci_low = _points(_("IC 95 % bas"))
    barometer_gap_ci_high = _points(_("IC 95 % haut"))
    nps_n = _count(_("réponses NPS"))
    promoters_n = _count(_("promoteurs"))
    detractors_n = _count(_("détracteurs"))
    nps = _points(_("NPS"))
    csat_n = _count(_("réponses CSAT"))
    csat_mean = _points(_("CSAT moyen (1–5)"))
    ces_n = _count(_("réponses effort"))
    ces_mean = _points(_("effort moyen (1–7)"))
    service_n = _count(_("évaluations de l'accueil"))
    service_mean = _points(_("accueil (1–5)"))
    computed_at = models.DateTimeField(_("calculé le"))

    class Meta:
        verbose_name = _("instantané de l'écart de satisfaction")
        verbose_name_plural = _("instantanés de l'écart de satisfaction")
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period", "agency", "channel"],
                name="gap_snapshot_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [
            # the dashboard: one scope's periods (trend) and one period's agencies
            models.Index(fields=["period_kind", "agency", "channel", "period"], name="gap_trend"),
        ]

    def __str__(self) -> str:
        return f"{self.period_kind} {self.period} {self.agency_id or '*'} {self.channel or '*'}"


class ResponseSnapshot(models.Model):
    """Invitations sent and answered in a Paris period (of sending), per survey (null: all),
    agency (null: network) and channel ('' : all)."""

    period_kind = models.CharField(_("période"), max_length=7, choices=PeriodKind)
    period = models.DateField(_("début de période"))
    survey = models.ForeignKey(
        "satisfaction.Survey", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        "agences.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("canal"), max_length=20, blank=True)
    sent_n = _count(_("envoyées"))
    answered_n = _count(_("répondues"))
    rate = _points(_("taux de réponse"))
    computed_at = models.DateTimeField(_("calculé le"))

    class Meta:
        verbose_name = _("instantané des taux de réponse")
        verbose_name_plural = _("instantanés des taux de réponse")
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period", "survey", "agency", "channel"],
                name="response_snapshot_unique",
                nulls_distinct=False,
            )
        ]
        # the dashboard: one period and one agency scope
        indexes = [models.Index(fields=["period_kind", "period", "agency"], name="response_scope")]

    def __str__(self) -> str:
        return f"{self.period_kind} {self.period} {self.survey_id or '*'} {self.agency_id or '*'}"


class TeamSnapshot(models.Model):
    """The staff's side per Paris period and agency (null: network): incivilities, the
    climate of exchanges, and the pulse — null when fewer than 5 answered."""

    period_kind = models.CharField(_("période"), max_length=7, choices=PeriodKind)
    period = models.DateField(_("début de période"))
    agency = models.ForeignKey(
        "agences.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    incivility_against_staff_n = _count(_("incivilités envers le personnel"))
    incivility_by_staff_n = _count(_("plaintes de clients contre le personnel"))
    incivility_severe_n = _count(_("dont graves"))
    climate_n = _count(_("climats notés"))
    climate_mean = _points(_("climat moyen (1–5)"))
    pulse_n = _count(_("réponses au ressenti de l'équipe"))
    pulse_engagement = _points(_("engagement (1–5)"))
    pulse_workload = _points(_("charge supportable (1–5)"))
    pulse_support = _points(_("soutien ressenti (1–5)"))
    computed_at = models.DateTimeField(_("calculé le"))

    class Meta:
        verbose_name = _("instantané d'équipe")
        verbose_name_plural = _("instantanés d'équipe")
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period", "agency"],
                name="team_snapshot_unique",
                nulls_distinct=False,
            )
        ]
        # the dashboard: one period's team rows, for one agency or all of them
        indexes = [models.Index(fields=["period_kind", "period", "agency"], name="team_scope")]

    def __str__(self) -> str:
        return f"{self.period_kind} {self.period} {self.agency_id or '*'}"
