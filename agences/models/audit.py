"""The staff audit: who changed whose agency, role or account, and who unlocked whom.

agences is below the core and cannot write to the privacy audit trail: its own table,
append-only like that one (a trigger refuses UPDATE and DELETE, migration 0006), shown
to the DPO and the administrators.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agences.models.staff import Agent
from socle import messages


class StaffChangeField(models.TextChoices):
    AGENCY = "agency", _("agence")
    ROLE = "role", _("rôle")
    ACCOUNT = "account", _("compte")
    UNLOCK = "unlock", _("déblocage")


class StaffChange(models.Model):
    # PROTECT: a member of staff with a history is deactivated, never deleted
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    agent = models.ForeignKey(
        Agent, on_delete=models.PROTECT, related_name="changes", verbose_name=_("agent")
    )
    field = models.CharField(_("changement"), max_length=16, choices=StaffChangeField.choices)
    old = models.CharField(_("avant"), max_length=255, blank=True)
    new = models.CharField(_("après"), max_length=255, blank=True)
    at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("changement d'accès")
        verbose_name_plural = _("journal des accès du personnel")
        ordering = ["-at", "-pk"]
        # the journal page: newest first
        indexes = [models.Index(fields=["-at"], name="staffchange_at")]

    def __str__(self) -> str:
        return f"{self.agent} · {self.get_field_display()} : {self.old_text} → {self.new_text}"

    # an unlocking's before and after: codes, written in the reader's language
    # (socle.messages); older rows hold the French words, shown as they are
    LOCKED, UNLOCKED = "locked", "unlocked"

    def _shown(self, value: str) -> str:
        if self.field != StaffChangeField.UNLOCK:
            return value
        return messages.render(f"staff.{value}", {}, fallback=value)

    @property
    def old_text(self) -> str:
        return self._shown(self.old)

    @property
    def new_text(self) -> str:
        return self._shown(self.new)
