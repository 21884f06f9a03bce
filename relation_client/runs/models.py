"""Background runs: one row per requested recompute, which the worker keeps up to date
(status, percent, step) and the pages poll. Satellites name their own kinds."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")


ACTIVE_STATUSES = [RunStatus.QUEUED, RunStatus.RUNNING]


class BackgroundRun(models.Model):
    """A job a person (or the night) asked for, and how far the worker got with it."""

    # which job: "reconquest_indicators", "satisfaction_indicators"… named by the app that
    # runs it, so that the core never imports the satellites
    kind = models.CharField(_("traitement"), max_length=40)
    status = models.CharField(_("état"), max_length=8, choices=RunStatus, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(
        _("avancement (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    step = models.CharField(pgettext_lazy("recalcul", "étape"), max_length=120, blank=True)
    rows = models.PositiveIntegerField(_("lignes écrites"), null=True, blank=True)
    # what the job was asked for, then what it covered (a recompute's period_from/period_to)
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    # the Celery task id the run was queued under (none for a run started by the night)
    task_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    requested_by = models.ForeignKey(
        "agences.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("demandé par"),
    )
    error = models.TextField(_("erreur"), blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    # the worker's lease: renewed while it runs (runs/lease.py); once past, the worker is
    # gone (killed, machine lost) and the run is failed (runs_expire)
    lease_until = models.DateTimeField(_("bail jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("traitement en arrière-plan")
        verbose_name_plural = _("traitements en arrière-plan")
        ordering = ["-created_at", "-id"]
        constraints = [
            # run_start: two people clicking at once share one run of a kind
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(status__in=["queued", "running"]),
                name="background_run_one_active_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="background_run_progress_percent"
            ),
        ]
        # run_latest: a dashboard's latest run of its kind
        indexes = [models.Index(fields=["kind", "-created_at"], name="background_run_latest")]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%d/%m/%Y %H:%M} : {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def lease_expired(self, *, now) -> bool:
        """Running, and its worker stopped renewing the lease: the worker is gone."""
        return (
            self.status == RunStatus.RUNNING
            and self.lease_until is not None
            and self.lease_until < now
        )
