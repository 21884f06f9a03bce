from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from socle import messages


class AuditAction(models.TextChoices):
    VIEW = "view", _("Consultation")
    # a page of customers (list or search): one row per page, `shown` says how many
    LIST = "list", _("Liste ou recherche")
    EXPORT = "export", _("Export (droit d'accès)")
    CHANGE = "change", _("Modification")
    MERGE = "merge", _("Fusion")
    UNMERGE = "unmerge", _("Annulation de fusion")
    ERASE = "erase", _("Effacement")


class AuditEvent(models.Model):
    """Who viewed, exported, changed or erased a customer record. Append-only: triggers
    refuse UPDATE and DELETE (migration 0002) and TRUNCATE (0005), so the log cannot be
    rewritten, even by the application's role that owns the table."""

    at = models.DateTimeField(_("date"), auto_now_add=True)
    # no constraint, no cascade: deleting an account must not touch the trail
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("par"),
    )
    # kept when the account is gone: "Camille Rousseau (agent.lyon)", "jeton Billettique"
    actor_label = models.CharField(_("auteur"), max_length=160)
    action = models.CharField(_("action"), max_length=8, choices=AuditAction)
    # no foreign key: the trace outlives the record (merge, erasure); none for a list read
    customer_id = models.BigIntegerField(_("n° de fiche"), null=True, blank=True)
    # a list read: how many customers the page showed (what the volume alert adds up)
    shown = models.PositiveIntegerField(_("fiches affichées"), null=True, blank=True)
    channel = models.CharField(_("depuis"), max_length=20, help_text=_("page, api, tâche…"))
    # the detail is made when read, in the reader's language (socle.messages): a code and
    # its parameters; `detail` keeps the French words of the rows written before
    code = models.CharField(_("code du détail"), max_length=40, blank=True)
    params = models.JSONField(_("paramètres du détail"), default=dict, blank=True)
    detail = models.CharField(_("détail d'origine"), max_length=200, blank=True)
    # a change keeps what was there: {"field": {"old": …, "new": …}}, so that a number
    # removed by mistake can be read back from the trail
    changes = models.JSONField(_("avant / après"), default=dict, blank=True)

    class Meta:
        verbose_name = _("trace d'accès")
        verbose_name_plural = _("traces d'accès")
        ordering = ["-at", "-id"]
        indexes = [
            # the DPO's search: one customer's history, newest first
            models.Index(fields=["customer_id", "-at"], name="audit_customer"),
            models.Index(fields=["actor", "-at"], name="audit_actor"),
            # the volume alert: what one author (an account or a token) read in the last hour
            models.Index(fields=["actor_label", "at"], name="audit_actor_label_at"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.customer_id}"

    @property
    def detail_text(self) -> str:
        """The detail in the active language."""
        return messages.render(self.code, self.params, fallback=self.detail)


class RetentionRun(models.Model):
    """What the nightly retention job did, for the data-protection officer."""

    ran_at = models.DateTimeField(_("exécuté le"), auto_now_add=True)
    cutoff = models.DateTimeField(_("sans contact depuis le"))
    anonymised = models.PositiveIntegerField(_("fiches anonymisées"))
    # received before the cutoff: their raw bytes and attachments' content deleted
    messages_purged = models.PositiveIntegerField(
        _("messages reçus dont le brut et les pièces jointes ont été supprimés"), default=0
    )

    class Meta:
        verbose_name = _("purge de conservation")
        verbose_name_plural = _("purges de conservation")
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"{self.ran_at:%d/%m/%Y} : {self.anonymised}"
