"""Campaigns worked by agents: who is targeted, what is offered, and each contact's outcome."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reconquete.models.cases import CaseReason, ReconquestCase
from relation_client.customers.models import ConsentChannel


class OfferType(models.TextChoices):
    FREE_MONTH = "free_month", _("Mois offert")
    DISCOUNT = "discount", _("Réduction")
    ADVICE = "advice", _("Conseil personnalisé")
    TRIAL = "trial", _("Essai gratuit")
    OTHER = "other", _("Autre")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    ACTIVE = "active", _("En cours")
    CLOSED = "closed", _("Terminée")


class Campaign(models.Model):
    """A reconquest campaign: who is targeted, what is offered, through which channels."""

    name = models.CharField(_("nom"), max_length=120)
    status = models.CharField(
        _("statut"), max_length=8, choices=CampaignStatus, default=CampaignStatus.DRAFT
    )
    # --- target
    segments = models.ManyToManyField(
        "customers.Segment",
        blank=True,
        related_name="+",
        verbose_name=_("segments"),
        help_text=_("Aucun : tous les segments."),
    )
    reasons = ArrayField(
        models.CharField(max_length=20, choices=CaseReason),
        default=list,
        blank=True,
        verbose_name=_("motifs de perte"),
        help_text=_("Aucun : tous les motifs."),
    )
    agencies = models.ManyToManyField(
        "agences.Agency",
        related_name="reconquest_campaigns",
        verbose_name=_("agences"),
        help_text=_("Les clients de ces agences sont ciblés, et leurs agents les appellent."),
    )
    lost_from = models.DateField(_("perdus depuis le"), null=True, blank=True)
    lost_to = models.DateField(_("perdus jusqu'au"), null=True, blank=True)
    quiet_days = models.PositiveSmallIntegerField(
        _("sans contact depuis (jours)"),
        null=True,
        blank=True,
        help_text=_("Exclut les clients contactés plus récemment."),
    )
    # --- offer and channels
    offer_type = models.CharField(_("type d'offre"), max_length=12, choices=OfferType)
    offer_text = models.TextField(_("offre"))
    offer_text_en = models.TextField(
        _("offre, en anglais"),
        blank=True,
        help_text=_(
            "Pour les clients qui préfèrent l'anglais. Vide : ils reçoivent le message en français."
        ),
    )
    channels = ArrayField(
        models.CharField(max_length=8, choices=ConsentChannel),
        verbose_name=_("canaux"),
    )
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    created_by = models.ForeignKey(
        "agences.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("créée par")
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    launched_at = models.DateTimeField(_("lancée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reconquete:campaign_detail", args=[self.pk])


# the outbox origin of a target's messages, "reconquete.target:12": one per channel, ever
TARGET_ORIGIN_PREFIX = "reconquete.target:"


def target_origin(target_id: int) -> str:
    return f"{TARGET_ORIGIN_PREFIX}{target_id}"


def campaign_origins(campaign: Campaign):
    """The outbox origins of every message of the campaign, as a subquery."""
    return campaign.targets.annotate(
        origin=Concat(
            Value(TARGET_ORIGIN_PREFIX), Cast("id", CharField()), output_field=CharField()
        )
    ).values("origin")


class NotContactable(models.TextChoices):
    NO_CONSENT = "no_consent", _("Aucun consentement recueilli")
    REFUSED = "refused", _("Consentement refusé ou retiré")
    NO_CONTACT_POINT = "no_contact_point", _("Pas de coordonnées pour ce canal")


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Joint")
    ACCEPTED = "accepted", _("Offre acceptée")
    DECLINED = "declined", _("Offre refusée")
    UNREACHABLE = "unreachable", _("Injoignable")
    DO_NOT_CONTACT = "do_not_contact", _("Ne veut plus être contacté")


# the person was actually spoken to: these count as "reached" and can be attributed a return
REACHED_OUTCOMES = [
    ContactOutcome.REACHED,
    ContactOutcome.ACCEPTED,
    ContactOutcome.DECLINED,
    ContactOutcome.DO_NOT_CONTACT,
]
ATTRIBUTABLE_OUTCOMES = [ContactOutcome.REACHED, ContactOutcome.ACCEPTED, ContactOutcome.DECLINED]


class CampaignTarget(models.Model):
    """One customer of a campaign: contactable or not (and why), their agent, the outcome."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="targets", verbose_name=_("campagne")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )
    case = models.ForeignKey(
        ReconquestCase,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("dossier"),
    )
    agent = models.ForeignKey(
        "agences.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reconquest_targets",
        verbose_name=_("agent"),
    )
    # the agent is the customer's usual contact: their call list shows these first
    is_usual_contact = models.BooleanField(_("interlocuteur habituel"), default=False)
    contactable = models.BooleanField(_("contactable"), default=False)
    channels = ArrayField(
        models.CharField(max_length=8, choices=ConsentChannel),
        default=list,
        blank=True,
        verbose_name=_("canaux autorisés"),
    )
    not_contactable_reason = models.CharField(
        _("raison"), max_length=20, choices=NotContactable, blank=True
    )
    outcome = models.CharField(_("résultat"), max_length=16, choices=ContactOutcome, blank=True)
    outcome_at = models.DateTimeField(_("résultat le"), null=True, blank=True)
    touchpoint = models.ForeignKey(
        "touchpoints.Touchpoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )
    created_at = models.DateTimeField(_("ciblé le"))

    class Meta:
        verbose_name = _("cible de campagne")
        verbose_name_plural = _("cibles de campagne")
        ordering = ["campaign", "-is_usual_contact", "id"]
        constraints = [
            # targeting's ON CONFLICT (campaign_id, customer_id) DO NOTHING
            models.UniqueConstraint(fields=["campaign", "customer"], name="campaign_target_unique")
        ]
        indexes = [
            # the agent's call list
            models.Index(
                fields=["agent", "-is_usual_contact", "id"],
                condition=Q(contactable=True),
                name="campaign_target_call_list",
            ),
            # the banner: the campaign of a customer's open case
            models.Index(fields=["case", "-created_at"], name="campaign_target_case"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.customer_id}"


class ReconquestContact(models.Model):
    """A reconquest outcome recorded on a logged touchpoint (call list, counter, phone):
    contacted and reached are counted from these, and a return is attributed to one."""

    case = models.ForeignKey(
        ReconquestCase, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("dossier")
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("campagne"),
    )
    target = models.ForeignKey(
        CampaignTarget, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    touchpoint = models.OneToOneField(
        "touchpoints.Touchpoint",
        on_delete=models.CASCADE,
        related_name="reconquest_contact",
        verbose_name=_("contact"),
    )
    outcome = models.CharField(_("résultat"), max_length=16, choices=ContactOutcome)
    # copied from the touchpoint: indicators group by channel and month without a join
    channel = models.CharField(_("canal"), max_length=20)
    occurred_at = models.DateTimeField(_("date"))
    agent = models.ForeignKey(
        "agences.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("contact de reconquête")
        verbose_name_plural = _("contacts de reconquête")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # attribution: the case's latest contact before its return
            models.Index(fields=["case", "-occurred_at"], name="reconquest_contact_case"),
            # indicators: contacts in a range of months
            models.Index(fields=["occurred_at"], name="reconquest_contact_time"),
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()
