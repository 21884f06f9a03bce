"""A week's sample of an agency's closed requests, and the grid each sampled request is
reviewed on. Results are collective: they are read per team (agency) and per segment,
never per agent — nothing here names the agent who handled a request."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Quality(models.TextChoices):
    GOOD = "bon", _("Bon")
    IMPROVE = "a_ameliorer", _("À améliorer")
    INSUFFICIENT = "insuffisant", _("Insuffisant")


# a review with one of these answers is a finding: it may open an item for Évoluer
FINDINGS = [Quality.IMPROVE, Quality.INSUFFICIENT]


class Sample(models.Model):
    """The requests of one agency closed during one ISO week, drawn at random but
    reproducibly: the seed (agency and week) is stored with the draw."""

    agency = models.ForeignKey(
        "agences.Agency",
        on_delete=models.PROTECT,
        related_name="quality_samples",
        verbose_name=_("agence"),
    )
    week = models.DateField(_("semaine du"), help_text=_("Le lundi de la semaine contrôlée."))
    seed = models.CharField(_("graine du tirage"), max_length=40)
    size = models.PositiveSmallIntegerField(_("taille demandée"))
    closed_count = models.PositiveIntegerField(_("demandes clôturées dans la semaine"))
    drawn_at = models.DateTimeField(_("tiré le"))
    drawn_by = models.ForeignKey(
        "agences.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tiré par"),
        help_text=_("Vide : tiré par la tâche du lundi."),
    )

    class Meta:
        verbose_name = _("échantillon hebdomadaire")
        verbose_name_plural = _("échantillons hebdomadaires")
        ordering = ["-week", "agency_id"]
        constraints = [
            # never twice the same week: the button and the Monday job meet here
            models.UniqueConstraint(fields=["agency", "week"], name="sample_one_per_agency_week")
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.week:%G-W%V}"

    def get_absolute_url(self) -> str:
        return reverse("quality:sample", args=[self.pk])


class SampledRequest(models.Model):
    """One request of a sample and its review grid (empty until reviewed)."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="items")
    request = models.ForeignKey(
        "touchpoints.Request",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("demande"),
    )
    position = models.PositiveSmallIntegerField(_("rang du tirage"))
    # what the data say at the draw: answered (or closed) by the deadline, never breached
    deadline_kept_data = models.BooleanField(_("délai tenu selon les données"))
    quality = models.CharField(
        _("qualité de la réponse"), max_length=12, choices=Quality, blank=True
    )
    deadline_kept = models.BooleanField(_("délai tenu"), null=True, blank=True)
    deadline_reason = models.CharField(
        _("pourquoi le délai diffère des données"), max_length=300, blank=True
    )
    customer_named = models.BooleanField(
        _("client nommé (salué par son nom)"), null=True, blank=True
    )
    follow_up_done = models.BooleanField(_("suite donnée"), null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    reviewed_at = models.DateTimeField(_("revue le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "agences.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revue par"),
    )
    improvement = models.ForeignKey(
        "cycle.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("piste d'amélioration ouverte"),
    )

    class Meta:
        verbose_name = _("demande échantillonnée")
        verbose_name_plural = _("demandes échantillonnées")
        ordering = ["sample_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "request"], name="sampled_request_once"),
            models.CheckConstraint(
                condition=models.Q(reviewed_at__isnull=True)
                | (
                    ~models.Q(quality="")
                    & models.Q(
                        deadline_kept__isnull=False,
                        customer_named__isnull=False,
                        follow_up_done__isnull=False,
                    )
                ),
                name="sampled_request_review_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sample} · {self.position}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def conforming(self) -> bool | None:
        """A conforming request: good answer, deadline kept, customer named, follow-up
        done. None until reviewed."""
        if not self.is_reviewed:
            return None
        return bool(
            self.quality == Quality.GOOD
            and self.deadline_kept
            and self.customer_named
            and self.follow_up_done
        )

    @property
    def is_finding(self) -> bool:
        return self.is_reviewed and self.quality in FINDINGS


# the same rule as `conforming`, for the aggregates
CONFORMING = models.Q(
    reviewed_at__isnull=False,
    quality=Quality.GOOD,
    deadline_kept=True,
    customer_named=True,
    follow_up_done=True,
)
