"""The service academy: skills, each agent's level in them, training sessions and
attendance."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agences.models.partners import PartnerMember
from agences.models.staff import Agent


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


class InvitationReply(models.TextChoices):
    # a partner's person answers the invitation; an agent who registers needs no answer
    UNANSWERED = "", _("Sans réponse")
    CONFIRMED = "confirmed", _("Présence confirmée")
    DECLINED = "declined", _("Empêché")


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
    reply = models.CharField(
        _("réponse à l'invitation"),
        max_length=10,
        choices=InvitationReply,
        blank=True,
        default=InvitationReply.UNANSWERED,
    )
    replied_at = models.DateTimeField(_("répondu le"), null=True, blank=True)

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
