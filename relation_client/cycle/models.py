"""The loyalty cycle (démarche de fidélisation): each segment runs Identifier → Adapter →
Privilégier → Contrôler → Évoluer in rounds. A round is at one stage at a time, keeps the
records of every stage, and logs each transition with who and when."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    IDENTIFY = "identifier", _("Identifier")
    ADAPT = "adapter", _("Adapter")
    PRIVILEGE = "privilegier", _("Privilégier")
    CONTROL = "controler", _("Contrôler")
    EVOLVE = "evoluer", _("Évoluer")


# the cycle runs in this order, one stage at a time
STAGE_ORDER: list[str] = list(Stage.values)


class Round(models.Model):
    """One turn of the cycle for one segment."""

    segment = models.ForeignKey(
        "customers.Segment",
        on_delete=models.PROTECT,
        related_name="cycle_rounds",
        verbose_name=_("segment"),
    )
    number = models.PositiveSmallIntegerField(_("tour n°"))
    stage = models.CharField(_("étape"), max_length=12, choices=Stage, default=Stage.IDENTIFY)
    previous = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_round",
        verbose_name=_("tour précédent"),
    )
    started_at = models.DateTimeField(_("commencé le"), default=timezone.now)
    started_by = models.ForeignKey(
        "agences.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("lancé par")
    )
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "agences.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("clos par"),
    )

    class Meta:
        verbose_name = _("tour du cycle")
        verbose_name_plural = _("tours du cycle")
        ordering = ["segment_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["segment", "number"], name="round_unique_number"),
            # one round in progress per segment; its partial index also serves the board,
            # which reads the open rounds
            models.UniqueConstraint(
                fields=["segment"],
                condition=models.Q(closed_at__isnull=True),
                name="round_one_open_per_segment",
            ),
        ]
        permissions = [("steer_cycle", _("Piloter le cycle de fidélisation"))]

    def __str__(self) -> str:
        return f"{self.segment} · {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("cycle:round_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)

    @property
    def next_stage(self) -> str | None:
        """The stage this round may move to; None at Évoluer, which closes the round."""
        index = self.stage_index + 1
        return STAGE_ORDER[index] if index < len(STAGE_ORDER) else None

    @property
    def next_stage_label(self) -> str:
        return Stage(self.next_stage).label if self.next_stage else ""


class RoundRecord(models.Model):
    """What every stage record shares: its round, who recorded it and when."""

    # the stage whose records these are: they may be added from that stage on
    STAGE: str = ""

    recorded_by = models.ForeignKey(
        "agences.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("saisi par")
    )
    recorded_at = models.DateTimeField(_("saisi le"), default=timezone.now)

    class Meta:
        abstract = True


class FindingSource(models.TextChoices):
    SURVEY = "survey", _("Enquête")
    TOUCHPOINTS = "touchpoints", _("Contacts clients")
    WORKSHOP = "workshop", _("Atelier")


class AuditFinding(RoundRecord):
    """Identifier: what the segment's customers expect and need, and where we learnt it."""

    STAGE = Stage.IDENTIFY

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="findings")
    finding = models.CharField(_("attente ou besoin constaté"), max_length=300)
    detail = models.TextField(_("précisions"), blank=True)
    source = models.CharField(_("source"), max_length=12, choices=FindingSource)
    partners = models.ManyToManyField(
        "agences.Partner",
        blank=True,
        related_name="+",
        verbose_name=_("partenaires qui contribuent"),
    )

    class Meta:
        verbose_name = _("constat d'audit")
        verbose_name_plural = _("constats d'audit")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.finding


class OngoingRecord(RoundRecord):
    """A record that lasts: open until it ends, and carried into the next round while open."""

    starts_on = models.DateField(_("à partir du"))
    ends_on = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        abstract = True


class AdaptedService(OngoingRecord):
    """Adapter: a service adapted to the segment — what changes, for whom, from when."""

    STAGE = Stage.ADAPT

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="adapted_services")
    what = models.CharField(_("ce qui change"), max_length=300)
    for_whom = models.CharField(_("pour qui"), max_length=200)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("service adapté")
        verbose_name_plural = _("services adaptés")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="adapted_service_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.what


class PrivilegeKind(models.TextChoices):
    OFFER = "offer", _("Offre")
    DEDICATED_CONTACT = "dedicated_contact", _("Interlocuteur dédié")
    PRIORITY_HANDLING = "priority_handling", _("Traitement prioritaire")


class PrivilegeAction(OngoingRecord):
    """Privilégier: an action that privileges the segment's customers."""

    STAGE = Stage.PRIVILEGE

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="privilege_actions")
    kind = models.CharField(_("nature"), max_length=20, choices=PrivilegeKind)
    description = models.CharField(_("action"), max_length=300)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("action de privilège")
        verbose_name_plural = _("actions de privilège")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="privilege_action_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.description


class WrittenCommitment(OngoingRecord):
    """Privilégier: a written commitment, to the segment's customers or with a partner."""

    STAGE = Stage.PRIVILEGE

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="commitments")
    title = models.CharField(_("engagement"), max_length=200)
    text = models.TextField(_("texte de l'engagement"), blank=True)
    partner = models.ForeignKey(
        "agences.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avec le partenaire"),
        help_text=_("Vide : engagement pris envers les clients du segment."),
    )
    partner_commitment = models.ForeignKey(
        "agences.PartnerCommitment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("engagement de la convention"),
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("engagement écrit")
        verbose_name_plural = _("engagements écrits")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="written_commitment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Control(RoundRecord):
    """Contrôler: an indicator of the registry (relation_client.cycle.indicators), its target
    and the value measured. The label, unit and direction are copied from the registry when
    the control is created, so that the round's record reads the same later on."""

    STAGE = Stage.CONTROL

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="controls")
    indicator = models.CharField(_("indicateur"), max_length=60)
    label = models.CharField(_("ce qui est mesuré"), max_length=200)
    unit = models.CharField(_("unité"), max_length=8, blank=True)
    higher_is_better = models.BooleanField(_("plus haut, c'est mieux"), default=True)
    target = models.DecimalField(_("cible"), max_digits=10, decimal_places=2)
    action = models.ForeignKey(
        PrivilegeAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="controls",
        verbose_name=_("action contrôlée"),
    )
    is_key = models.BooleanField(_("contrôle clé"), default=False)
    measured_value = models.DecimalField(
        _("valeur mesurée"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    measured_at = models.DateTimeField(_("mesuré le"), null=True, blank=True)
    measured_by = models.ForeignKey(
        "agences.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mesuré par"),
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("contrôle")
        verbose_name_plural = _("contrôles")
        ordering = ["-is_key", "recorded_at", "id"]
        constraints = [
            # the board shows one key control per round
            models.UniqueConstraint(
                fields=["round"], condition=models.Q(is_key=True), name="control_one_key_per_round"
            ),
            models.CheckConstraint(
                condition=models.Q(measured_value__isnull=True, measured_at__isnull=True)
                | models.Q(measured_value__isnull=False, measured_at__isnull=False),
                name="control_measure_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_measured(self) -> bool:
        return self.measured_value is not None

    @property
    def met(self) -> bool | None:
        """Whether the measured value reaches the target; None until measured."""
        if self.measured_value is None:
            return None
        if self.higher_is_better:
            return self.measured_value >= self.target
        return self.measured_value <= self.target


class Decision(RoundRecord):
    """Évoluer: a decision and its rationale, drawn from control results of the round."""

    STAGE = Stage.EVOLVE

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(_("décision"), max_length=300)
    rationale = models.TextField(_("justification"))
    controls = models.ManyToManyField(
        Control, related_name="decisions", verbose_name=_("contrôles sur lesquels elle s'appuie")
    )

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.decision


class StageTransition(models.Model):
    """The log of a round's moves: from which stage to which, who, when. A round's first
    row has no `from_stage`; the first row of a following round comes from Évoluer."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(_("de"), max_length=12, choices=Stage, blank=True)
    to_stage = models.CharField(_("vers"), max_length=12, choices=Stage)
    by = models.ForeignKey(
        "agences.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("passage d'étape")
        verbose_name_plural = _("passages d'étape")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage or '∅'} → {self.to_stage}"
