"""What customers say: survey definitions, invitations, answers; what staff believe."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relation_client.touchpoints.models import Channel


class SurveyKind(models.TextChoices):
    CSAT = "csat", _("Satisfaction (CSAT, de 1 à 5)")
    NPS = "nps", _("Recommandation (NPS, de 0 à 10)")
    CES = "ces", _("Effort (CES, de 1 à 7)")


# the scale of each kind, (lowest, highest): answers and staff estimates use the same one
SCALES: dict[str, tuple[int, int]] = {
    SurveyKind.CSAT: (1, 5),
    SurveyKind.NPS: (0, 10),
    # "it was easy to get what I needed": 1 = not at all, 7 = completely
    SurveyKind.CES: (1, 7),
}
# a customer counts as satisfied from this score: CSAT 4–5, NPS not a detractor (7–10),
# CES 5–7 (easy)
SATISFIED_FROM: dict[str, int] = {SurveyKind.CSAT: 4, SurveyKind.NPS: 7, SurveyKind.CES: 5}
# the closed loop calls back a detractor: NPS 0–6, CSAT 1–2 (CES is about effort, not mood)
DETRACTOR_UP_TO: dict[str, int] = {SurveyKind.NPS: 6, SurveyKind.CSAT: 2}
NPS_PROMOTER_FROM = 9
SERVICE_SCALE = (1, 5)  # the customer's rating of the agent's service


class Survey(models.Model):
    """A questionnaire: one question on a scale, an optional comment."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=4, choices=SurveyKind)
    question_fr = models.CharField(_("question (français)"), max_length=300)
    question_en = models.CharField(_("question (anglais)"), max_length=300)
    allows_comment = models.BooleanField(_("commentaire possible"), default=True)
    asks_service_rating = models.BooleanField(
        _("demande d'évaluer l'accueil de l'agent"), default=True
    )
    validity_days = models.PositiveSmallIntegerField(
        _("validité du lien (jours)"), default=14, validators=[MinValueValidator(1)]
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("enquête")
        verbose_name_plural = _("enquêtes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def scale(self) -> tuple[int, int]:
        return SCALES[self.kind]


class ChannelSampling(models.Model):
    """After a touchpoint on this channel, this share of customers is invited to this survey."""

    channel = models.CharField(_("canal"), max_length=20, choices=Channel, unique=True)
    survey = models.ForeignKey(
        Survey, on_delete=models.PROTECT, related_name="samplings", verbose_name=_("enquête")
    )
    rate = models.DecimalField(
        _("taux d'échantillonnage"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Entre 0 et 1 : 0,2 invite un client sur cinq."),
    )

    class Meta:
        verbose_name = _("échantillonnage par canal")
        verbose_name_plural = _("échantillonnages par canal")
        ordering = ["channel"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=1), name="sampling_rate_0_1"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} : {self.survey} ({self.rate})"


class SurveyInvitation(models.Model):
    """A single-use, expiring link sent to a customer after a touchpoint. Only the hash of
    the link's token is kept: a database dump gives nobody the power to answer."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    # one invitation per touchpoint: what makes invitation_after_touchpoint idempotent
    touchpoint = models.OneToOneField(
        "touchpoints.Touchpoint", on_delete=models.CASCADE, related_name="survey_invitation"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="survey_invitations"
    )
    agent = models.ForeignKey(
        "agences.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_invitations",
    )
    agency = models.ForeignKey(
        "agences.Agency", on_delete=models.PROTECT, related_name="survey_invitations"
    )
    channel = models.CharField(_("canal"), max_length=20, choices=Channel)
    # the touchpoint's moment: its Paris month is the period of every indicator
    occurred_at = models.DateTimeField(_("date du contact"))
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"))
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation à une enquête")
        verbose_name_plural = _("invitations à une enquête")
        ordering = ["-created_at", "-id"]
        indexes = [
            # invitation_after_touchpoint: was the customer surveyed in the last few weeks?
            models.Index(fields=["customer", "created_at"], name="invitation_customer_recent"),
            # invitations_sweep: the few invitations still unsent
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True, answered_at__isnull=True),
                name="invitation_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} → {self.customer_id} ({self.created_at:%d/%m/%Y})"


class AnswerSource(models.TextChoices):
    WEB = "web", _("Page d'enquête")
    PARTNER = "partner", _("Partenaire d'enquête")


class SurveyAnswer(models.Model):
    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.CASCADE, related_name="answer"
    )
    score = models.SmallIntegerField(_("note"))
    comment = models.TextField(_("commentaire"), blank=True)
    complaint = models.BooleanField(_("réclamation"), default=False)
    service_rating = models.SmallIntegerField(_("accueil de l'agent"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=AnswerSource)
    # the survey partner's own id: a batch sent again updates, never duplicates
    partner_answer_id = models.CharField(
        _("identifiant chez le partenaire"), max_length=64, unique=True, null=True, blank=True
    )
    answered_at = models.DateTimeField(_("répondu le"))
    # the closed loop: the request opened for a detractor or a complaint, opened once
    loop_request = models.ForeignKey(
        "touchpoints.Request",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_answers",
        verbose_name=_("demande de rappel"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réponse à une enquête")
        verbose_name_plural = _("réponses à une enquête")
        ordering = ["-answered_at", "-id"]
        constraints = [
            # the widest scale (NPS); the service checks the survey's own scale
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=10), name="answer_score_range"
            ),
            models.CheckConstraint(
                condition=Q(service_rating__isnull=True)
                | (Q(service_rating__gte=1) & Q(service_rating__lte=5)),
                name="answer_service_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score} ({self.answered_at:%d/%m/%Y})"


class AgentEstimate(models.Model):
    """What the agent believes the customer thinks of the exchange, on the survey's scale."""

    touchpoint = models.ForeignKey(
        "touchpoints.Touchpoint", on_delete=models.CASCADE, related_name="satisfaction_estimates"
    )
    kind = models.CharField(_("échelle"), max_length=4, choices=SurveyKind)
    score = models.SmallIntegerField(_("estimation"))
    agent = models.ForeignKey(
        "agences.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("estimation de l'agent")
        verbose_name_plural = _("estimations des agents")
        constraints = [
            # the gap compute joins answers to estimates on (touchpoint, kind)
            models.UniqueConstraint(fields=["touchpoint", "kind"], name="estimate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.score}"


class TeamBarometer(models.Model):
    """Each month, an agent's estimate of the share of their agency's customers who are
    satisfied; set beside the real share per agency, never shown per agent."""

    agent = models.ForeignKey("agences.Agent", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("agences.Agency", on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("mois"))
    satisfied_share = models.PositiveSmallIntegerField(
        _("part de clients satisfaits estimée (%)"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("baromètre d'équipe")
        verbose_name_plural = _("baromètres d'équipe")
        constraints = [
            models.UniqueConstraint(fields=["agent", "period"], name="barometer_once_a_month"),
            models.CheckConstraint(
                condition=Q(satisfied_share__lte=100), name="barometer_share_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period:%m/%Y} : {self.satisfied_share} %"
