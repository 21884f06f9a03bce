"""Partners (subcontractors, the social-media desk…), their people and their written
commitments, with the monthly compliance snapshot of each commitment."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Partner(models.Model):
    """An external specialist or subcontractor that requests are escalated to."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    domain = models.CharField(_("domaine"), max_length=120)
    contact_name = models.CharField(_("contact"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerMember(models.Model):
    """A person working for a partner: attends training like an agent does, and may hold
    an account restricted to the requests escalated to their partner."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="members", verbose_name=_("partenaire")
    )
    full_name = models.CharField(_("nom"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    # one account, one partner: the partner space shows that partner's requests only
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_member",
        verbose_name=_("compte"),
    )

    class Meta:
        verbose_name = _("personne d'un partenaire")
        verbose_name_plural = _("personnes des partenaires")
        ordering = ["partner__name", "full_name"]
        permissions = [
            (
                "answer_escalated_requests",
                _("Voir et traiter les demandes transmises à son partenaire"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.partner})"


class CommitmentParty(models.TextChoices):
    OPERATOR = "operator", _("Le réseau")
    PARTNER = "partner", _("Le partenaire")


class CommitmentMeasure(models.TextChoices):
    NONE = "none", _("Non mesuré")
    # the partner's side
    ANSWER_DELAY = "answer_delay", _("Délai de réponse aux demandes transmises")
    # the operator's side: what it hands over, and how fast it takes up the partner's return
    HANDOVER_FULL = "handover_full", _("Transmission complète (client, coordonnée, objet)")
    OPERATOR_REPLY = "operator_reply", _("Suite donnée au retour du partenaire (heures ouvrées)")


# measures that count hours (elapsed for the partner, working hours for the operator)
TIMED_MEASURES = [CommitmentMeasure.ANSWER_DELAY, CommitmentMeasure.OPERATOR_REPLY]
MEASURE_PARTY = {
    CommitmentMeasure.ANSWER_DELAY: CommitmentParty.PARTNER,
    CommitmentMeasure.HANDOVER_FULL: CommitmentParty.OPERATOR,
    CommitmentMeasure.OPERATOR_REPLY: CommitmentParty.OPERATOR,
}


class PartnerCommitment(models.Model):
    """One promise of an operating agreement (convention d'exploitation), by either side.
    A measured one says for what share of the requests, and a timed one within how many
    hours: elapsed hours for the partner's answer, the agency's working hours for the
    operator's follow-up of the partner's return (deadlines.add_working_time)."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("partenaire")
    )
    party = models.CharField(_("engagement pris par"), max_length=10, choices=CommitmentParty)
    title = models.CharField(_("engagement"), max_length=200)
    detail = models.TextField(_("précisions"), blank=True)
    measure = models.CharField(
        _("mesure"), max_length=16, choices=CommitmentMeasure, default=CommitmentMeasure.NONE
    )
    max_hours = models.PositiveSmallIntegerField(
        _("délai maximal (heures)"),
        null=True,
        blank=True,
        help_text=_(
            "Délai de réponse du partenaire : heures écoulées depuis la transmission. "
            "Suite donnée par le réseau : heures ouvrées de l'agence depuis le retour."
        ),
    )
    target_percent = models.PositiveSmallIntegerField(
        _("objectif (% des demandes)"), null=True, blank=True
    )
    starts_on = models.DateField(_("en vigueur du"))
    ends_on = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("engagement de partenariat")
        verbose_name_plural = _("engagements de partenariat")
        ordering = ["partner__name", "party", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(measure="none")
                | models.Q(measure="handover_full", target_percent__isnull=False)
                | models.Q(max_hours__gt=0, target_percent__isnull=False),
                name="commitment_measured_has_target",
            ),
            models.CheckConstraint(
                condition=models.Q(target_percent__isnull=True) | models.Q(target_percent__lte=100),
                name="commitment_target_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="commitment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} : {self.title}"

    def clean(self) -> None:
        # each measure reads one side's work: it belongs on that side of the convention
        side = MEASURE_PARTY.get(self.measure)
        if side and self.party != side:
            raise ValidationError(
                {
                    "party": _("Cette mesure porte sur un engagement pris par : %(party)s.")
                    % {"party": CommitmentParty(side).label}
                }
            )
        if self.measure in TIMED_MEASURES and not self.max_hours:
            raise ValidationError({"max_hours": _("Indiquez le délai de cette mesure.")})
        if self.measure != CommitmentMeasure.NONE and self.target_percent is None:
            raise ValidationError({"target_percent": _("Indiquez l'objectif de cette mesure.")})


class PartnerComplianceMonth(models.Model):
    """Snapshot: a measured commitment over one Paris calendar month. Written only by
    partner_compliance_compute (one INSERT … SELECT … ON CONFLICT), read by the pages."""

    commitment = models.ForeignKey(
        PartnerCommitment, on_delete=models.CASCADE, related_name="compliance"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="compliance")
    month = models.DateField(_("mois"))
    # the target as it stood when computed: a later change does not rewrite the past
    # (0 for a measure without delay: the complete hand-over)
    max_hours = models.PositiveSmallIntegerField(_("délai maximal (heures)"))
    target_percent = models.PositiveSmallIntegerField(_("objectif (%)"))
    # for the complete hand-over: on_time counts the complete ones, late the others; for
    # the operator's follow-up: escalated counts the partner's returns of the month
    escalated = models.PositiveIntegerField(_("demandes transmises"))
    on_time = models.PositiveIntegerField(_("dans le délai"))
    late = models.PositiveIntegerField(_("hors délai"))
    pending = models.PositiveIntegerField(_("en cours, dans le délai"))
    median_hours = models.DecimalField(
        _("délai médian (heures)"), max_digits=8, decimal_places=1, null=True
    )
    computed_at = models.DateTimeField(_("calculé le"))

    class Meta:
        verbose_name = _("conformité mensuelle d'un partenaire")
        verbose_name_plural = _("conformité mensuelle des partenaires")
        ordering = ["-month", "partner_id", "commitment_id"]
        constraints = [
            # the natural key the compute upserts on
            models.UniqueConstraint(fields=["commitment", "month"], name="compliance_month_unique")
        ]
        # the page per partner and month, and the partner list for one month
        indexes = [models.Index(fields=["partner", "month"], name="compliance_partner_month")]

    def __str__(self) -> str:
        return f"{self.commitment} · {self.month:%m/%Y}"

    @property
    def settled(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> int | None:
        """Share of the settled requests answered in time, in whole percent."""
        return round(self.on_time * 100 / self.settled) if self.settled else None

    @property
    def met(self) -> bool | None:
        return None if self.rate is None else self.rate >= self.target_percent
