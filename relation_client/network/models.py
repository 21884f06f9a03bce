"""Lines and stops (imported from the network's GTFS), the lines each customer rides,
and the disruptions of the network (from its GTFS-Realtime alerts, or entered by staff)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TransportMode(models.IntegerChoices):
    """GTFS `route_type` (the basic values)."""

    TRAM = 0, _("Tramway")
    METRO = 1, _("Métro")
    RAIL = 2, _("Train")
    BUS = 3, _("Bus")
    FERRY = 4, _("Navette fluviale")
    CABLE_TRAM = 5, _("Tramway à câble")
    AERIAL_LIFT = 6, _("Téléphérique")
    FUNICULAR = 7, _("Funiculaire")
    TROLLEYBUS = 11, _("Trolleybus")
    MONORAIL = 12, _("Monorail")


class Line(models.Model):
    """A GTFS route: « C3 », « T1 », « 12 ». Keyed on the feed's route_id."""

    gtfs_id = models.CharField(_("identifiant GTFS"), max_length=64, unique=True)
    short_name = models.CharField(_("nom court"), max_length=20)
    long_name = models.CharField(_("nom long"), max_length=200, blank=True)
    mode = models.PositiveSmallIntegerField(_("mode"), choices=TransportMode)
    color = models.CharField(_("couleur"), max_length=6, blank=True)
    text_color = models.CharField(_("couleur du texte"), max_length=6, blank=True)
    stops = models.ManyToManyField("Stop", through="LineStop", related_name="lines")

    class Meta:
        verbose_name = _("ligne")
        verbose_name_plural = _("lignes")
        ordering = ["short_name", "id"]

    def __str__(self) -> str:
        return self.short_name or self.long_name


class Stop(models.Model):
    gtfs_id = models.CharField(_("identifiant GTFS"), max_length=64, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("arrêt")
        verbose_name_plural = _("arrêts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class LineStop(models.Model):
    """A stop served by a line (some trip of the line calls there: GTFS stop_times)."""

    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="line_stops")
    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="stop_lines")

    class Meta:
        verbose_name = _("desserte")
        verbose_name_plural = _("dessertes")
        constraints = [
            models.UniqueConstraint(fields=["line", "stop"], name="linestop_once"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} → {self.stop_id}"


class RiderStrength(models.TextChoices):
    USUAL = "usual", _("Habituelle")
    OCCASIONAL = "occasional", _("Occasionnelle")


class RiderSource(models.TextChoices):
    DECLARED = "declared", _("Déclarée à l'abonnement")
    VALIDATIONS = "validations", _("Validations")
    MENTIONED = "mentioned", _("Citée lors d'un contact")


class CustomerLine(models.Model):
    """A line a customer rides, and how we know it: one row per (customer, line, source),
    its strength and the date we last learnt it."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="network_lines"
    )
    line = models.ForeignKey(Line, on_delete=models.PROTECT, related_name="riders")
    source = models.CharField(_("source"), max_length=12, choices=RiderSource)
    strength = models.CharField(_("fréquence"), max_length=10, choices=RiderStrength)
    # validations in the month `seen_on` falls in (the ticketing import), else 0
    validations = models.PositiveIntegerField(_("validations du mois"), default=0)
    seen_on = models.DateField(_("constaté le"))

    class Meta:
        verbose_name = _("ligne empruntée")
        verbose_name_plural = _("lignes empruntées")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "line", "source"], name="customerline_once"
            ),
        ]
        indexes = [
            # disruption_riders(): the riders of the disrupted lines
            models.Index(fields=["line", "customer"], name="customerline_line"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} / {self.line_id} ({self.source})"


class DisruptionSource(models.TextChoices):
    STAFF = "staff", _("Saisie par le personnel")
    GTFS_RT = "gtfs_rt", _("Flux GTFS-Realtime")


class DisruptionCause(models.TextChoices):
    """GTFS-Realtime `Alert.Cause`, lower case."""

    UNKNOWN = "unknown_cause", _("Cause inconnue")
    OTHER = "other_cause", _("Autre cause")
    TECHNICAL_PROBLEM = "technical_problem", _("Problème technique")
    STRIKE = "strike", _("Grève")
    DEMONSTRATION = "demonstration", _("Manifestation")
    ACCIDENT = "accident", _("Accident")
    HOLIDAY = "holiday", _("Jour férié")
    WEATHER = "weather", _("Intempéries")
    MAINTENANCE = "maintenance", _("Maintenance")
    CONSTRUCTION = "construction", _("Travaux")
    POLICE_ACTIVITY = "police_activity", _("Intervention de police")
    MEDICAL_EMERGENCY = "medical_emergency", _("Urgence médicale")


class DisruptionEffect(models.TextChoices):
    """GTFS-Realtime `Alert.Effect`, lower case."""

    NO_SERVICE = "no_service", _("Service interrompu")
    REDUCED_SERVICE = "reduced_service", _("Service réduit")
    SIGNIFICANT_DELAYS = "significant_delays", _("Retards importants")
    DETOUR = "detour", _("Déviation")
    ADDITIONAL_SERVICE = "additional_service", _("Service renforcé")
    MODIFIED_SERVICE = "modified_service", _("Service modifié")
    OTHER = "other_effect", _("Autre effet")
    UNKNOWN = "unknown_effect", _("Effet inconnu")
    STOP_MOVED = "stop_moved", _("Arrêt déplacé")
    NO_EFFECT = "no_effect", _("Sans effet")
    ACCESSIBILITY_ISSUE = "accessibility_issue", _("Problème d'accessibilité")


class Disruption(models.Model):
    """A disruption of one or more lines (and stops), from `starts_at` to `ends_at` (open
    while it lasts). From the GTFS-Realtime feed, keyed on the feed's entity id: the same
    alert fetched twice is one disruption, an updated alert updates it."""

    source = models.CharField(_("source"), max_length=8, choices=DisruptionSource)
    feed_entity_id = models.CharField(_("identifiant dans le flux"), max_length=200, blank=True)
    lines = models.ManyToManyField(Line, related_name="disruptions", verbose_name=_("lignes"))
    stops = models.ManyToManyField(
        Stop, related_name="disruptions", blank=True, verbose_name=_("arrêts")
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    cause = models.CharField(
        _("cause"), max_length=20, choices=DisruptionCause, default=DisruptionCause.UNKNOWN
    )
    effect = models.CharField(
        _("effet"), max_length=20, choices=DisruptionEffect, default=DisruptionEffect.UNKNOWN
    )
    header = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    alternative_route = models.TextField(
        _("itinéraire de substitution"),
        blank=True,
        help_text=_("Le texte envoyé aux voyageurs prévenus : comment faire leur trajet."),
    )
    created_by = models.ForeignKey(
        "agences.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisie par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("perturbation")
        verbose_name_plural = _("perturbations")
        ordering = ["-starts_at", "-id"]
        constraints = [
            # the poller's upsert: one disruption per alert of the feed
            models.UniqueConstraint(
                fields=["feed_entity_id"],
                condition=models.Q(source="gtfs_rt"),
                name="disruption_feed_entity_once",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gte=models.F("starts_at")),
                name="disruption_ends_after_start",
            ),
        ]
        indexes = [
            # the list (most recent first) and a customer's disruption of the morning
            models.Index(fields=["-starts_at"], name="disruption_starts"),
        ]

    def __str__(self) -> str:
        return self.header

    def get_absolute_url(self) -> str:
        return reverse("network:disruption", args=[self.pk])


class ContactGroup(models.TextChoices):
    CONTACTED = "contacted", _("Prévenu")
    HELD_OUT = "held_out", _("Groupe témoin (jamais prévenu)")


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    CALL = "call", _("À appeler")
    NONE = "none", _("Aucun canal consenti")


class DisruptionContact(models.Model):
    """What became of one affected rider when staff warned a disruption's riders: drawn
    into the contacted group or the held-out one (never contacted: the comparison that
    measures the effect of warning on lapse and win-back), and for the contacted, the
    channel used — an e-mail or SMS of the outbox (`origin`), a call for a priority rider
    without e-mail or SMS consent, or nothing."""

    disruption = models.ForeignKey(Disruption, on_delete=models.PROTECT, related_name="contacts")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="disruption_contacts"
    )
    group = models.CharField(_("groupe"), max_length=10, choices=ContactGroup)
    channel = models.CharField(_("canal"), max_length=5, choices=ContactChannel, blank=True)
    priority = models.BooleanField(_("prioritaire"), default=False)
    # the outbox row's origin (messaging.OutboundMessage.origin), when a message was queued
    origin = models.CharField(max_length=60, blank=True)
    called_at = models.DateTimeField(_("appelé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("tiré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("voyageur prévenu ou témoin")
        verbose_name_plural = _("voyageurs prévenus ou témoins")
        constraints = [
            # warning the riders twice draws and writes each rider once
            models.UniqueConstraint(
                fields=["disruption", "customer"], name="disruptioncontact_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.disruption_id} / {self.customer_id} ({self.group})"


class DisruptionComplaint(models.Model):
    """A complaint logged while a disruption hit a line the customer rides or named (or
    within NETWORK_COMPLAINT_WINDOW_HOURS after its end): one row per (disruption,
    touchpoint), written when the touchpoint is logged (complaints.py)."""

    disruption = models.ForeignKey(Disruption, on_delete=models.CASCADE, related_name="complaints")
    touchpoint = models.ForeignKey(
        "touchpoints.Touchpoint", on_delete=models.CASCADE, related_name="disruption_links"
    )
    # the request the complaint opened or joined, for the request page's panel
    request = models.ForeignKey(
        "touchpoints.Request",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="disruption_links",
    )
    linked_at = models.DateTimeField(_("rattachée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("réclamation liée à une perturbation")
        verbose_name_plural = _("réclamations liées à une perturbation")
        constraints = [
            models.UniqueConstraint(
                fields=["disruption", "touchpoint"], name="disruptioncomplaint_once"
            ),
        ]
        # the disruption page's count and list, and the social-media alert's count, use the
        # unique constraint's index (disruption first); the request page reads by request
        indexes = [models.Index(fields=["request"], name="disruptioncomplaint_request")]

    def __str__(self) -> str:
        return f"{self.disruption_id} / {self.touchpoint_id}"
