from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def default_opening_hours() -> dict:
    """Monday to Friday 8:30–18:00, Saturday morning: ISO weekday -> list of [open, close]."""
    week = {str(day): [["08:30", "18:00"]] for day in range(1, 6)}
    week["6"] = [["09:00", "12:30"]]
    return week


class Agency(models.Model):
    """A commercial agency of the network: where customers are received and staff work."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    city = models.CharField(_("ville"), max_length=120)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    phone = models.CharField(_("téléphone"), max_length=32, blank=True)
    # the agency's working hours: deadlines count only these (see the workspace issue)
    monthly_gesture_budget = models.DecimalField(
        _("budget mensuel de gestes commerciaux (€)"), max_digits=9, decimal_places=2, default=500
    )
    opening_hours = models.JSONField(
        _("heures d'ouverture"),
        default=default_opening_hours,
        help_text=_("Par jour ISO (1 = lundi) : liste de plages [ouverture, fermeture]."),
    )

    class Meta:
        verbose_name = _("agence")
        verbose_name_plural = _("agences")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agent(models.Model):
    """A member of staff: one per user account, attached to an agency."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agent",
        verbose_name=_("compte"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="agents", verbose_name=_("agence")
    )
    display_name = models.CharField(
        _("nom affiché"),
        max_length=120,
        help_text=_("Le nom sous lequel les clients vous connaissent."),
    )
    phone_extension = models.CharField(_("poste téléphonique"), max_length=10, blank=True)
    languages = ArrayField(
        models.CharField(max_length=8),
        default=list,
        blank=True,
        verbose_name=_("langues parlées"),
        help_text=_("Codes ISO 639-1, par exemple fr, en, es."),
    )

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["display_name"]
        permissions = [
            ("view_agency_figures", _("Voir les indicateurs de son agence")),
            ("view_network_figures", _("Voir les indicateurs de tout le réseau")),
            ("approve_gesture", _("Approuver un geste commercial au-delà de la limite")),
            ("merge_customers", _("Fusionner deux fiches client")),
            ("manage_campaigns", _("Piloter les campagnes de reconquête")),
            ("use_privacy_tools", _("Utiliser les outils RGPD (accès, effacement)")),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("admin:agences_agent_change", args=[self.pk])

    @property
    def first_name(self) -> str:
        return self.display_name.split(" ", 1)[0]


class AgentAbsence(models.Model):
    """Days an agent is away: the caller box says whether the usual contact is in today."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="absences")
    start = models.DateField(_("du"))
    end = models.DateField(_("au"))
    reason = models.CharField(_("motif"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="absence_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent} : {self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"


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


# --- Partners: their people and their commitments (appended with the loyalty cycle) ---


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
    ANSWER_DELAY = "answer_delay", _("Délai de réponse aux demandes transmises")


class PartnerCommitment(models.Model):
    """One promise of an operating agreement (convention d'exploitation), by either side.
    A measured one says within how many hours, and for what share of the requests."""

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
        help_text=_("Heures écoulées entre la transmission et la réponse."),
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


class PartnerComplianceMonth(models.Model):
    """Snapshot: a measured commitment over one Paris calendar month. Written only by
    partner_compliance_compute (one INSERT … SELECT … ON CONFLICT), read by the pages."""

    commitment = models.ForeignKey(
        PartnerCommitment, on_delete=models.CASCADE, related_name="compliance"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="compliance")
    month = models.DateField(_("mois"))
    # the target as it stood when computed: a later change does not rewrite the past
    max_hours = models.PositiveSmallIntegerField(_("délai maximal (heures)"))
    target_percent = models.PositiveSmallIntegerField(_("objectif (%)"))
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


# --- Service academy and skills ----------------------------------------------------------


class SkillCategory(models.TextChoices):
    WELCOME = "welcome", _("Accueil")
    CONFLICT = "conflict", _("Gestion des situations difficiles")
    LANGUAGE = "language", _("Langues")
    DIGITAL = "digital", _("Outils numériques")
    ACCESSIBILITY = "accessibility", _("Accessibilité")
    OFFER = "offer", _("Offre et tarifs")


class Skill(models.Model):
    """A skill of the matrix; managers edit the list."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=120)
    category = models.CharField(_("famille"), max_length=16, choices=SkillCategory)
    # a language skill also finds agents who declare the language in their profile
    language_code = models.CharField(
        _("code de langue"), max_length=8, blank=True, help_text=_("ISO 639-1, par exemple es.")
    )

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["category", "label"]

    def __str__(self) -> str:
        return self.label


class SkillLevel(models.IntegerChoices):
    BASICS = 1, _("Notions")
    AUTONOMOUS = 2, _("Autonome")
    CONFIRMED = 3, _("Confirmé")
    REFERENT = 4, _("Référent (peut former)")


class AgentSkill(models.Model):
    """One cell of the skills matrix: an agent's level in a skill, as last assessed."""

    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="skills", verbose_name=_("agent")
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="holders", verbose_name=_("compétence")
    )
    level = models.PositiveSmallIntegerField(_("niveau"), choices=SkillLevel)
    assessed_on = models.DateField(_("évalué le"))
    assessed_by = models.ForeignKey(
        Agent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("évalué par"),
    )

    class Meta:
        verbose_name = _("compétence d'un agent")
        verbose_name_plural = _("compétences des agents")
        ordering = ["skill__category", "skill__label"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "skill"], name="agent_skill_unique"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="agent_skill_level_range"
            ),
        ]
        # agents_with_skill(): holders of one skill, best level first
        indexes = [models.Index(fields=["skill", "-level"], name="agent_skill_finder")]

    def __str__(self) -> str:
        return f"{self.agent} · {self.skill} · {self.get_level_display()}"


class TrainingSession(models.Model):
    """A session of the service academy, open to agents and to partner staff alike."""

    topic = models.CharField(_("thème"), max_length=200)
    skill = models.ForeignKey(
        Skill,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("compétence travaillée"),
    )
    starts_at = models.DateTimeField(_("date et heure"))
    duration_hours = models.DecimalField(_("durée (heures)"), max_digits=4, decimal_places=1)
    trainer = models.CharField(_("formateur ou formatrice"), max_length=120)
    place = models.CharField(_("lieu"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)

    class Meta:
        verbose_name = _("session de formation")
        verbose_name_plural = _("sessions de formation")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_hours__gt=0), name="training_duration_positive"
            )
        ]
        # the academy page: upcoming and recent sessions; training hours over a period
        indexes = [models.Index(fields=["starts_at"], name="training_session_start")]

    def __str__(self) -> str:
        return f"{self.topic} ({self.starts_at:%d/%m/%Y})"


class AttendanceStatus(models.TextChoices):
    REGISTERED = "registered", _("Inscrit")
    ATTENDED = "attended", _("Présent")
    ABSENT = "absent", _("Absent")


class TrainingAttendance(models.Model):
    """One participant of a session: an agent or a partner's person, never both."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, null=True, blank=True, related_name="trainings"
    )
    partner_member = models.ForeignKey(
        PartnerMember, on_delete=models.CASCADE, null=True, blank=True, related_name="trainings"
    )
    status = models.CharField(
        _("présence"), max_length=12, choices=AttendanceStatus, default=AttendanceStatus.REGISTERED
    )
    registered_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)

    class Meta:
        verbose_name = _("participation à une formation")
        verbose_name_plural = _("participations aux formations")
        ordering = ["session", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agent__isnull=False, partner_member__isnull=True)
                | models.Q(agent__isnull=True, partner_member__isnull=False),
                name="attendance_one_participant",
            ),
            models.UniqueConstraint(
                fields=["session", "agent"],
                condition=models.Q(agent__isnull=False),
                name="attendance_unique_agent",
            ),
            models.UniqueConstraint(
                fields=["session", "partner_member"],
                condition=models.Q(partner_member__isnull=False),
                name="attendance_unique_partner_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent or self.partner_member} · {self.session}"
