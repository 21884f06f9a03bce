from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from socle import messages
from socle.choices import ChoiceLabels


class Channel(models.TextChoices):
    COUNTER = "counter", _("Guichet")
    PHONE = "phone", _("Téléphone")
    EMAIL = "email", _("E-mail")
    WEB_FORM = "web_form", _("Formulaire web")
    MOBILE_APP = "mobile_app", _("Application mobile")
    SOCIAL_MEDIA = "social_media", _("Réseaux sociaux")
    ON_BOARD = "on_board", _("À bord / en station")
    LETTER = "letter", _("Courrier")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Entrant")
    OUTBOUND = "outbound", _("Sortant")


class Mood(models.TextChoices):
    HAPPY = "happy", _("Satisfait")
    NEUTRAL = "neutral", _("Neutre")
    UNHAPPY = "unhappy", _("Mécontent")
    ANGRY = "angry", _("En colère")


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Réponse donnée sur place")
    FOLLOW_UP = "follow_up", _("Suite à donner")
    ESCALATED = "escalated", _("Transmis à un partenaire")
    INFORMED = "informed", _("Information transmise")


class TouchpointKind(models.TextChoices):
    INTERACTION = "interaction", _("Échange")
    GESTURE = "gesture", _("Geste commercial")
    ESCALATION = "escalation", _("Transmission à un partenaire")
    HANDOVER = "handover", _("Passage de relais")


class Reason(models.Model):
    """Why the customer got in touch: a managed list."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=80)
    # an inbound touchpoint with this reason asks something: by default it opens a request
    # (the agent may decide otherwise in the form, the API caller with `open_request`)
    opens_request = models.BooleanField(
        _("ouvre une demande par défaut"),
        default=True,
        help_text=_(
            "Un échange entrant pour ce motif ouvre une demande, sauf si l'agent en décide "
            "autrement. Décoché pour les simples renseignements (horaires, itinéraire, tarifs)."
        ),
    )
    is_complaint = models.BooleanField(_("réclamation"), default=False)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("motif de contact")
        verbose_name_plural = _("motifs de contact")
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class ChannelCommitment(models.Model):
    """The response-time commitment of a channel, set by managers."""

    class Unit(models.TextChoices):
        WORKING_HOURS = "working_hours", _("heures ouvrées")
        WORKING_DAYS = "working_days", _("jours ouvrés")

    channel = models.CharField(_("canal"), max_length=20, choices=Channel, unique=True)
    amount = models.PositiveSmallIntegerField(
        _("délai"),
        validators=[MinValueValidator(1)],
        help_text=_("Un nombre de jours ouvrés ou d'heures ouvrées, selon l'unité."),
    )
    unit = models.CharField(
        _("unité"),
        max_length=16,
        choices=Unit,
        help_text=_(
            "Jours ouvrés : même heure, N jours d'ouverture plus tard (« 48 heures ouvrées » "
            "au sens courant = 2 jours ouvrés : vendredi 17 h 30 → mardi 17 h 30). "
            "Heures ouvrées : heures d'ouverture de l'agence, pause déjeuner exclue."
        ),
    )

    class Meta:
        verbose_name = _("engagement de délai")
        verbose_name_plural = _("engagements de délai")
        ordering = ["channel"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} : {self.amount} {self.get_unit_display()}"


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Ouverte")
    WAITING_CUSTOMER = "waiting_customer", _("En attente du client")
    ANSWERED = "answered", _("Répondue")
    CLOSED = "closed", _("Clôturée")


OPEN_STATUSES = [RequestStatus.OPEN, RequestStatus.WAITING_CUSTOMER]


class Request(ChoiceLabels, models.Model):
    """A question or complaint that must get an answer before its deadline."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("client"),
    )
    agency = models.ForeignKey(
        "agences.Agency",
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("agence"),
    )
    assignee = models.ForeignKey(
        "agences.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
        verbose_name=_("responsable"),
    )
    channel = models.CharField(_("canal"), max_length=20, choices=Channel)
    reason = models.ForeignKey(
        Reason, on_delete=models.PROTECT, related_name="+", verbose_name=_("motif")
    )
    subject = models.CharField(_("objet"), max_length=200)
    status = models.CharField(
        _("statut"), max_length=20, choices=RequestStatus, default=RequestStatus.OPEN
    )
    deadline = models.DateTimeField(_("échéance"))
    # copied from the customer's segment at opening: at equal deadline it orders the queue
    priority = models.PositiveSmallIntegerField(_("priorité"), default=9)
    opened_at = models.DateTimeField(_("ouverte le"))
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    breached_at = models.DateTimeField(_("échéance dépassée le"), null=True, blank=True)
    partner = models.ForeignKey(
        "agences.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("partenaire"),
    )
    escalated_at = models.DateTimeField(_("transmise le"), null=True, blank=True)
    # the operator's commitments to the partner (partners.services compliance): was the
    # hand-over complete — the customer's name, a contact point to call back, the subject —
    # and, once the partner answered, by when the agency owes the follow-up (working hours)
    handover_complete = models.BooleanField(_("transmission complète"), null=True, blank=True)
    partner_return_due_at = models.DateTimeField(
        _("suite au retour du partenaire attendue avant"), null=True, blank=True
    )
    # the clock stands still while the request waits for the customer (deadlines.py)
    paused_at = models.DateTimeField(_("en pause depuis"), null=True, blank=True)
    # working minutes left when the clock stopped (negative: already overdue), shown frozen
    remaining_at_pause = models.IntegerField(
        _("temps ouvré restant à la mise en pause (min)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("demande")
        verbose_name_plural = _("demandes")
        ordering = ["deadline", "priority", "id"]
        indexes = [
            # the agency queue: open requests, oldest deadline first
            models.Index(
                fields=["agency", "deadline", "priority"],
                name="request_queue",
                condition=Q(status__in=["open", "waiting_customer"]),
            ),
            # the beat job looking for breaches: only running clocks (a request waiting
            # for the customer is paused and never breaches)
            models.Index(
                fields=["deadline"],
                name="request_unbreached",
                condition=Q(status="open", breached_at__isnull=True),
            ),
            models.Index(fields=["customer", "status"], name="request_customer"),
            # partner compliance and the partner space: requests escalated to a partner
            models.Index(
                fields=["partner", "escalated_at"],
                name="request_escalated",
                condition=Q(partner__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("touchpoints:request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def reference(self) -> str:
        """What the customer quotes, and what every mail's subject carries: RC-000042."""
        return f"RC-{self.pk:06d}"

    @property
    def is_paused(self) -> bool:
        """Waiting for the customer: the deadline's clock stands still."""
        return self.status == RequestStatus.WAITING_CUSTOMER


class Touchpoint(ChoiceLabels, models.Model):
    """One interaction with a customer (or an unidentified person), on any channel."""

    kind = models.CharField(
        _("nature"), max_length=12, choices=TouchpointKind, default=TouchpointKind.INTERACTION
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="touchpoints",
        verbose_name=_("client"),
        help_text=_("Vide si la personne n'a pas donné son nom."),
    )
    channel = models.CharField(_("canal"), max_length=20, choices=Channel)
    direction = models.CharField(
        _("sens"), max_length=8, choices=Direction, default=Direction.INBOUND
    )
    reason = models.ForeignKey(
        Reason, on_delete=models.PROTECT, related_name="touchpoints", verbose_name=_("motif")
    )
    summary = models.TextField(_("résumé"))
    agent = models.ForeignKey(
        "agences.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="touchpoints",
        verbose_name=_("agent"),
    )
    agency = models.ForeignKey(
        "agences.Agency",
        on_delete=models.PROTECT,
        related_name="touchpoints",
        verbose_name=_("agence"),
    )
    occurred_at = models.DateTimeField(_("date"))
    outcome = models.CharField(_("suite"), max_length=12, choices=Outcome, blank=True)
    mood = models.CharField(_("humeur du client"), max_length=10, choices=Mood, blank=True)
    request = models.ForeignKey(
        Request,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="touchpoints",
        verbose_name=_("demande"),
    )
    # a walk-in who gave no name may leave a number or an address to be called back on
    # (a database default too: the benchmarks' and the dataset's raw INSERTs leave it out)
    contact_left = models.CharField(
        _("coordonnées laissées"), max_length=120, blank=True, db_default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # the customer timeline, newest first, keyset-paginated
            models.Index(fields=["customer", "-occurred_at", "-id"], name="touchpoint_timeline"),
            # identification rate per agency and month
            models.Index(fields=["agency", "occurred_at"], name="touchpoint_agency_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.occurred_at:%d/%m/%Y}"

    @property
    def gesture_or_none(self) -> "Gesture | None":
        """Its gesture, or None: a template reading `gesture` where there is none pays
        for the exception and then a dir() of the touchpoint (at each timeline row)."""
        try:
            return self.gesture
        except ObjectDoesNotExist:
            return None


class GestureKind(models.TextChoices):
    FREE_TRIPS = "free_trips", _("Voyages offerts")
    DISCOUNT = "discount", _("Remise sur le mois suivant")
    REFUND = "refund", _("Remboursement")
    GIFT = "gift", _("Petit cadeau")


class GestureStatus(models.TextChoices):
    GRANTED = "granted", _("Accordé")
    PENDING = "pending", _("En attente d'approbation")
    APPROVED = "approved", _("Approuvé")
    REFUSED = "refused", _("Refusé")


class GestureLimit(models.Model):
    """Up to this value an agent of the role grants a gesture without asking anyone."""

    role = models.CharField(_("rôle"), max_length=30, unique=True)
    max_value = models.DecimalField(_("plafond (€)"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("plafond de geste commercial")
        verbose_name_plural = _("plafonds de geste commercial")

    def __str__(self) -> str:
        return f"{self.role} : {self.max_value} €"


class Gesture(ChoiceLabels, models.Model):
    """A goodwill gesture (geste commercial), on the customer's timeline through its touchpoint."""

    touchpoint = models.OneToOneField(Touchpoint, on_delete=models.CASCADE, related_name="gesture")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="gestures"
    )
    agency = models.ForeignKey("agences.Agency", on_delete=models.PROTECT, related_name="gestures")
    granted_by = models.ForeignKey(
        "agences.Agent", on_delete=models.PROTECT, related_name="gestures_granted"
    )
    kind = models.CharField(_("type"), max_length=12, choices=GestureKind)
    value = models.DecimalField(_("valeur (€)"), max_digits=8, decimal_places=2)
    reason = models.TextField(_("motif"))
    status = models.CharField(_("statut"), max_length=10, choices=GestureStatus)
    decided_by = models.ForeignKey(
        "agences.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gestures_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # it would have taken the agency's month above its budget: a manager decides
    over_budget = models.BooleanField(_("au-delà du budget"), default=False, db_default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("geste commercial")
        verbose_name_plural = _("gestes commerciaux")
        ordering = ["-created_at"]
        # the agency's monthly budget: sums of granted and approved gestures
        indexes = [models.Index(fields=["agency", "created_at"], name="gesture_agency_month")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} €"


class AlertKind(models.TextChoices):
    SOCIAL_MEDIA = "social_media", _("Réclamation ou perturbation sur les réseaux sociaux")
    DEADLINE_SOON = "deadline_soon", _("Échéance proche")
    BREACH = "breach", _("Échéance dépassée")
    REPEAT_CONTACT = "repeat_contact", _("Contacts répétés")
    HANDOVER = "handover", _("Client confié")
    GESTURE_APPROVAL = "gesture_approval", _("Geste à approuver")
    GESTURE_BUDGET = "gesture_budget", _("Budget de gestes bientôt atteint")
    RETENTION = "retention", _("Purge de conservation des données")
    DETRACTOR = "detractor", _("Client insatisfait (enquête)")
    INCIVILITY = "incivility", _("Incivilité signalée")
    BULK_READ = "bulk_read", _("Lecture massive de fiches clients")
    COMPLIMENT = "compliment", _("Remerciement reçu")
    # a mail to the customer given up after its retries (messaging.outbox)
    SEND_FAILED = "send_failed", _("Envoi impossible")


class AlertStatus(models.TextChoices):
    NEW = "new", _("Nouvelle")
    ACKNOWLEDGED = "acknowledged", _("Prise en compte")
    RESOLVED = "resolved", _("Résolue")


class Alert(models.Model):
    """Something a person must know before the customer has to ask twice."""

    kind = models.CharField(_("type"), max_length=20, choices=AlertKind)
    recipient = models.ForeignKey(
        "agences.Agent",
        on_delete=models.CASCADE,
        related_name="alerts",
        verbose_name=_("destinataire"),
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, null=True, blank=True, related_name="alerts"
    )
    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    # the text is made when read, in the reader's language (socle.messages): a code and
    # its parameters; `message` keeps the French sentence of the rows written before
    code = models.CharField(_("code du message"), max_length=40)
    params = models.JSONField(_("paramètres du message"), default=dict, blank=True)
    message = models.CharField(_("message d'origine"), max_length=300, blank=True)
    # never twice for the same cause: e.g. "breach:request:42:recipient:7"
    cause = models.CharField(max_length=120, unique=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=AlertStatus, default=AlertStatus.NEW
    )
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        ordering = ["-created_at"]
        # the inbox and the count in the navigation bar
        indexes = [models.Index(fields=["recipient", "status"], name="alert_inbox")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The alert's sentence in the active language."""
        return messages.render(self.code, self.params, fallback=self.message)
