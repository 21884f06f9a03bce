"""Compliments: the positive side of reciprocity. A customer's thanks, logged as a
touchpoint with the "compliment" reason, routed to the team it is meant for: an agency,
or a line's drivers through the person a `LineRoute` names."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relation_client.touchpoints.models import Channel

# the Reason.code of a compliment (relation_client/touchpoints/migrations/0002_reference_data)
COMPLIMENT_REASON = "compliment"
LINE_PATTERN = re.compile(r"^[A-Z0-9]{1,8}$")


def line_normalise(value: str) -> str:
    """ "Ligne 38" → "38", "c3" → "C3", "T-1" → "T1": the line as the network writes it.
    Returns "" for an empty value; the caller checks LINE_PATTERN."""
    text = (value or "").strip().upper()
    text = re.sub(r"^(LIGNE|LIG\.?|L\.)\s*", "", text)
    return re.sub(r"[\s\-_.]", "", text)


class ComplimentTarget(models.TextChoices):
    AGENCY = "agency", _("Une agence")
    LINE = "line", _("Les conducteurs d'une ligne")


class LineRoute(models.Model):
    """Where a line's compliments go: the agency whose team counts them and the person
    who passes them on to the line's drivers. A line with no route goes to the network's
    operations (its direction)."""

    line = models.CharField(_("ligne"), max_length=8, unique=True)
    agency = models.ForeignKey(
        "agences.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agence")
    )
    recipient = models.ForeignKey(
        "agences.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("destinataire"),
        help_text=_(
            "Le responsable des conducteurs de la ligne. Vide : l'encadrement de l'agence."
        ),
    )

    class Meta:
        verbose_name = _("destinataire des remerciements d'une ligne")
        verbose_name_plural = _("destinataires des remerciements des lignes")
        ordering = ["line"]

    def __str__(self) -> str:
        return _("Ligne %(line)s") % {"line": self.line}

    def save(self, *args, **kwargs):
        self.line = line_normalise(self.line)
        super().save(*args, **kwargs)

    def clean(self):
        # before the uniqueness check: "ligne c3" is the route of "C3"
        self.line = line_normalise(self.line)
        if not LINE_PATTERN.match(self.line):
            raise ValidationError({"line": _("Indiquez la ligne comme sur le plan : 38, C3, T1…")})


class Compliment(models.Model):
    """A customer's thanks, routed to a team. It keeps no identity of the customer: the
    words are read from the touchpoint (so an erasure of the customer erases them here
    too) and the pages never show who said them."""

    touchpoint = models.OneToOneField(
        "touchpoints.Touchpoint", on_delete=models.CASCADE, related_name="compliment"
    )
    target = models.CharField(_("pour"), max_length=8, choices=ComplimentTarget)
    # the team that counts and reads it; None: a line with no route (the network's)
    agency = models.ForeignKey(
        "agences.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agence"),
    )
    line = models.CharField(_("ligne"), max_length=8, blank=True)
    channel = models.CharField(_("canal"), max_length=20, choices=Channel)
    occurred_at = models.DateTimeField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("remerciement")
        verbose_name_plural = _("remerciements")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # an agency's list, newest first, and its monthly counts
            models.Index(fields=["agency", "-occurred_at"], name="compliment_agency"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(target="agency", agency__isnull=False, line="")
                | Q(target="line") & ~Q(line=""),
                name="compliment_target_complete",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_target_display()} ({self.occurred_at:%d/%m/%Y})"
