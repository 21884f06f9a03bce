"""Reconquest: ticketing data (subscriptions, monthly ridership), lost-customer cases,
campaigns worked by agents, and the indicator snapshots the dashboard reads."""

import datetime
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from relation_client.customers.models import ConsentChannel


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", _("En cours")
    ENDED = "ended", _("Terminé")
    CANCELLED = "cancelled", _("Résilié")
    SUSPENDED = "suspended", _("Suspendu")


class SalesChannel(models.TextChoices):
    COUNTER = "counter", _("Guichet")
    WEB = "web", _("Site web")
    APP = "app", _("Application mobile")
    PHONE = "phone", _("Téléphone")
    MACHINE = "machine", _("Distributeur automatique")
    EMPLOYER = "employer", _("Employeur")


class Subscription(models.Model):
    """A subscription contract, as the ticketing partner knows it (upserted on its number)."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("client"),
    )
    contract_number = models.CharField(_("numéro de contrat"), max_length=40, unique=True)
    product = models.CharField(_("produit"), max_length=120)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=SubscriptionStatus)
    sales_channel = models.CharField(_("canal de vente"), max_length=10, choices=SalesChannel)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="subscription_end_after_start",
            )
        ]
        # lapse detection: each customer's latest end date (DISTINCT ON customer)
        indexes = [models.Index(fields=["customer", "end_date"], name="subscription_customer_end")]

    def __str__(self) -> str:
        return f"{self.product} ({self.contract_number})"


class RidershipMonth(models.Model):
    """Trips of one customer in one calendar month (the month's first day)."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="ridership",
        verbose_name=_("client"),
        # the unique (customer, month) index serves lookups by customer
        db_index=False,
    )
    month = models.DateField(_("mois"))
    trips = models.PositiveIntegerField(_("voyages"))
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("fréquentation mensuelle")
        verbose_name_plural = _("fréquentations mensuelles")
        ordering = ["customer", "month"]
        constraints = [
            # the upsert key of the ridership import (ON CONFLICT (customer_id, month))
            models.UniqueConstraint(fields=["customer", "month"], name="ridership_customer_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="ridership_month_first_day"),
        ]
        # indicators: trips of every customer in a range of months
        indexes = [models.Index(fields=["month"], name="ridership_month")]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} : {self.trips}"


def default_baseline_start() -> datetime.date:
    return datetime.date(2019, 1, 1)


def default_baseline_end() -> datetime.date:
    return datetime.date(2019, 12, 1)


class ReconquestSettings(models.Model):
    """Detection thresholds of a segment; the row without segment is the network's default,
    and the field defaults apply when neither exists."""

    segment = models.OneToOneField(
        "customers.Segment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reconquest_settings",
        verbose_name=_("segment"),
    )
    baseline_start = models.DateField(
        _("période de référence : premier mois"), default=default_baseline_start
    )
    baseline_end = models.DateField(
        _("période de référence : dernier mois"), default=default_baseline_end
    )
    grace_days = models.PositiveSmallIntegerField(
        _("délai de renouvellement (jours)"),
        default=30,
        help_text=_("Un abonnement non renouvelé après ce délai compte comme perdu."),
    )
    drop_months = models.PositiveSmallIntegerField(
        _("mois observés (K)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("La fréquentation est comparée sur les K derniers mois complets."),
    )
    drop_percent = models.PositiveSmallIntegerField(
        _("seuil de baisse (X %)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Perdu sous X % de la moyenne de référence."),
    )
    inactive_months = models.PositiveSmallIntegerField(
        _("mois sans voyage (M)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    attribution_days = models.PositiveSmallIntegerField(
        _("fenêtre d'attribution (jours)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Un retour est attribué au dernier contact de reconquête de cette fenêtre."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("paramètres de détection")
        verbose_name_plural = _("paramètres de détection")
        constraints = [
            # at most one network-wide row (segment NULL)
            models.UniqueConstraint(
                fields=["segment"], name="reconquest_settings_one_per_segment", nulls_distinct=False
            ),
            models.CheckConstraint(
                condition=Q(baseline_end__gte=models.F("baseline_start")),
                name="reconquest_settings_baseline_order",
            ),
        ]

    def __str__(self) -> str:
        return str(self.segment) if self.segment_id else str(_("Réseau (par défaut)"))

    @property
    def baseline_months(self) -> int:
        start, end = self.baseline_start, self.baseline_end
        return (end.year - start.year) * 12 + end.month - start.month + 1


class CaseReason(models.TextChoices):
    LAPSED_SUBSCRIPTION = "lapsed_subscription", _("Abonnement non renouvelé")
    RIDERSHIP_DROP = "ridership_drop", _("Fréquentation en forte baisse")
    INACTIVE = "inactive", _("Ne voyage plus")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Ouvert")
    WON_BACK = "won_back", _("Reconquis")
    CLOSED = "closed", _("Clos")


class ReconquestCase(models.Model):
    """A lost customer: why, since when, the numbers behind it, and how it ended."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="reconquest_cases",
        verbose_name=_("client"),
    )
    reason = models.CharField(_("motif"), max_length=20, choices=CaseReason)
    status = models.CharField(
        _("statut"), max_length=10, choices=CaseStatus, default=CaseStatus.OPEN
    )
    # copied from the customer at opening: a case counts where it was lost, even if the
    # customer moves to another agency or segment later
    agency = models.ForeignKey(
        "agences.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agence"),
    )
    segment = models.ForeignKey(
        "customers.Segment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("segment"),
    )
    lost_since = models.DateField(_("perdu depuis"))
    # the first month whose ridership can show a return (the detection month)
    watch_from = models.DateField(_("retour observé à partir de"))
    opened_at = models.DateTimeField(_("ouvert le"))
    won_back_at = models.DateTimeField(_("reconquis le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    # when the row last changed (opened, won back, closed): the incremental refresh of the
    # indicators starts from here, as a return is dated in the past (the month it shows)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True, db_default=Now())
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("abonnement non renouvelé"),
    )
    baseline_trips = models.DecimalField(
        _("voyages par mois (référence)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    recent_trips = models.DecimalField(
        _("voyages par mois (récents)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    threshold_trips = models.DecimalField(
        _("seuil de retour (voyages par mois)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    details = models.JSONField(_("chiffres"), default=dict, blank=True)
    attributed_campaign = models.ForeignKey(
        "Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="won_back_cases",
        verbose_name=_("campagne attribuée"),
    )
    attributed_touchpoint = models.ForeignKey(
        "touchpoints.Touchpoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact attribué"),
    )

    class Meta:
        verbose_name = _("dossier de reconquête")
        verbose_name_plural = _("dossiers de reconquête")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # detection's ON CONFLICT (customer_id) WHERE status = 'open' DO NOTHING
            models.UniqueConstraint(
                fields=["customer"], condition=Q(status="open"), name="reconquest_case_one_open"
            ),
            models.CheckConstraint(
                condition=~Q(status="won_back") | Q(won_back_at__isnull=False),
                name="reconquest_case_won_back_dated",
            ),
        ]
        indexes = [
            # win-back closing scans the open cases of each reason
            models.Index(fields=["reason"], condition=Q(status="open"), name="case_open_reason"),
            # indicators: cases opened, and won back, in a range of months
            models.Index(fields=["opened_at"], name="case_opened_at"),
            models.Index(
                fields=["won_back_at"], condition=Q(status="won_back"), name="case_won_back_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.get_status_display()})"


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
        "customers.Customer", on_delete=models.CASCADE, related_name="+", verbose_name=_("client")
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


class SnapshotDimension(models.TextChoices):
    TOTAL = "total", _("Ensemble")
    SEGMENT = "segment", _("Segment")
    CAMPAIGN = "campaign", _("Campagne")
    CHANNEL = "channel", _("Canal")


class ReconquestSnapshot(models.Model):
    """Indicators of one Paris calendar month, for a scope (the network when agency is
    empty, else one agency) broken down by a dimension: the dashboard reads only these."""

    period = models.DateField(_("mois"))
    agency = models.ForeignKey(
        "agences.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    dimension = models.CharField(_("axe"), max_length=10, choices=SnapshotDimension)
    # segment or campaign id, channel code; "" for the total (and for "no segment")
    key = models.CharField(_("clé"), max_length=40, blank=True)
    label = models.CharField(_("libellé"), max_length=120, blank=True)
    lost = models.IntegerField(_("perdus"), null=True)
    targeted = models.IntegerField(_("ciblés"), null=True)
    contacted = models.IntegerField(_("contactés"), null=True)
    reached = models.IntegerField(_("joints"), null=True)
    accepted = models.IntegerField(_("offres acceptées"), null=True)
    won_back = models.IntegerField(_("reconquis"), null=True)
    # the month's cohort (lost, targeted or first contacted) and how many came back
    cohort = models.IntegerField(_("cohorte"), null=True)
    won_back_30 = models.IntegerField(_("reconquis sous 30 jours"), null=True)
    won_back_90 = models.IntegerField(_("reconquis sous 90 jours"), null=True)
    median_days = models.FloatField(_("délai médian (jours)"), null=True)
    trips = models.BigIntegerField(_("voyages"), null=True)
    baseline_trips = models.DecimalField(
        _("voyages de référence"), max_digits=16, decimal_places=4, null=True
    )
    new_customers = models.IntegerField(_("nouveaux clients"), null=True)
    computed_at = models.DateTimeField(_("calculé le"))

    class Meta:
        verbose_name = _("instantané d'indicateurs")
        verbose_name_plural = _("instantanés d'indicateurs")
        ordering = ["period", "dimension", "key"]
        constraints = [
            # each statement of snapshot_compute upserts its columns on this key
            models.UniqueConstraint(
                fields=["period", "agency", "dimension", "key"],
                name="reconquest_snapshot_key",
                nulls_distinct=False,
            )
        ]
        # the dashboard: one scope's rows over twelve months (and the period's agencies)
        indexes = [models.Index(fields=["dimension", "period"], name="snapshot_dimension_period")]

    def __str__(self) -> str:
        return f"{self.period:%m/%Y} {self.dimension} {self.key}"

    @staticmethod
    def _ratio(part, whole) -> Decimal | None:
        if part is None or not whole:
            return None
        return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))

    @property
    def rate_30(self) -> Decimal | None:
        return self._ratio(self.won_back_30, self.cohort)

    @property
    def rate_90(self) -> Decimal | None:
        return self._ratio(self.won_back_90, self.cohort)

    @property
    def recovery(self) -> Decimal | None:
        return self._ratio(self.trips, self.baseline_trips)


class RunStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")


class RecomputeRun(models.Model):
    """A requested indicator recompute: the dashboard's progress bar follows it."""

    task_id = models.CharField(max_length=64, unique=True)
    requested_by = models.ForeignKey(
        "agences.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=RunStatus, default=RunStatus.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    period_from = models.DateField(null=True, blank=True)
    period_to = models.DateField(null=True, blank=True)
    rows = models.IntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recalcul des indicateurs")
        verbose_name_plural = _("recalculs des indicateurs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_id} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)
