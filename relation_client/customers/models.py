from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from socle.choices import ChoiceLabels


class Civility(models.TextChoices):
    MADAME = "mme", _("Mme")
    MONSIEUR = "m", _("M.")


def priority_words(priority: int | None) -> str:
    """A segment's priority in words, in the three tiers of the field (CERN's technical
    control room: basic services first, then the physics clients, then the rest):
    1 "Priorité maximale", 2–3 "Prioritaire", from 4 (and no segment) "Standard"."""
    if priority is not None and priority <= 1:
        return str(_("Priorité maximale"))
    if priority is not None and priority <= 3:
        return str(_("Prioritaire"))
    return str(_("Standard"))


class Segment(models.Model):
    """A customer category, run through the loyalty cycle; managers edit the list.

    Its priority orders the request queue at equal deadline; its commitment percentage
    shortens the response commitment of its customers' requests (reduced mobility answered
    faster): a percentage rather than a fixed commitment, so that one setting fits every
    channel (one working hour on social media, five working days for a letter)."""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    priority = models.PositiveSmallIntegerField(
        _("priorité"),
        default=5,
        help_text=_(
            "1 = la plus haute : ordonne la file à échéance égale. Dans la file : 1 « Priorité "
            "maximale », 2 et 3 « Prioritaire », 4 et au-delà « Standard »."
        ),
    )
    commitment_percent = models.PositiveSmallIntegerField(
        _("délai de réponse (% de l'engagement du canal)"),
        default=100,
        validators=[MinValueValidator(10), MaxValueValidator(100)],
        help_text=_(
            "100 = l'engagement du canal, inchangé ; 50 = délai réduit de moitié. Le délai "
            "réduit est compté en heures ouvrées, arrondi à l'heure (un jour ouvré compte "
            "pour 8 heures), jamais moins d'une heure ni plus que l'engagement du canal. "
            "S'applique aux demandes ouvertes ensuite, pas à celles déjà ouvertes."
        ),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["priority", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def priority_label(self) -> str:
        return priority_words(self.priority)

    @property
    def commitment_text(self) -> str:
        """ "délai du canal", "délai réduit de moitié", "délai réduit à 75 %"."""
        if self.commitment_percent >= 100:
            return str(_("délai du canal"))
        if self.commitment_percent == 50:
            return str(_("délai réduit de moitié"))
        return str(_("délai réduit à %(percent)s %%")) % {"percent": self.commitment_percent}


class SearchNormalized(models.Func):
    """rc_search_norm(): lower case, no accents, hyphens and apostrophes as spaces.

    An IMMUTABLE SQL function (migration 0003) so that it can be indexed; queries
    pass the typed text through the same function.
    """

    function = "rc_search_norm"
    output_field = models.TextField()


class NameWords(models.Func):
    """The words of a `search_name` as an array (the lexicon's triggers split it the same
    way, migration 0013): `string_to_array(search_name, ' ')`, indexed by GIN."""

    template = "string_to_array(%(expressions)s, ' ')"
    output_field = ArrayField(models.TextField())


class Customer(models.Model):
    """A customer, known by name: the card number is never the first question.

    Nothing that points here cascades (every foreign key is PROTECT): a customer is erased
    by anonymisation, never deleted, and a merge moves every row to the survivor before it
    deletes the absorbed record, so a row nobody moved stops the merge instead of vanishing.
    """

    civility = models.CharField(_("civilité"), max_length=3, choices=Civility, blank=True)
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    preferred_name = models.CharField(
        _("appellation souhaitée"),
        max_length=100,
        blank=True,
        help_text=_("Comment la personne aime être appelée, si ce n'est pas civilité et nom."),
    )
    preferred_language = models.CharField(
        _("langue préférée"),
        max_length=8,
        default="fr",
        choices=[
            ("fr", "Français"),
            ("en", "English"),
            ("es", "Español"),
            ("de", "Deutsch"),
            ("it", "Italiano"),
            ("ar", "العربية"),
        ],
    )
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    postal_address = models.TextField(_("adresse postale"), blank=True)
    needs = models.TextField(_("besoins et préférences"), blank=True)
    tags = ArrayField(
        models.CharField(max_length=40), default=list, blank=True, verbose_name=_("étiquettes")
    )
    segment = models.ForeignKey(
        Segment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customers",
        verbose_name=_("segment"),
    )
    home_agency = models.ForeignKey(
        "agences.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customers",
        verbose_name=_("agence de rattachement"),
    )
    usual_contact = models.ForeignKey(
        "agences.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="usual_customers",
        verbose_name=_("interlocuteur habituel"),
    )
    # name search: trigram GiST index below, queried by customer_search()
    search_name = models.GeneratedField(
        expression=SearchNormalized(
            Concat(
                "first_name", models.Value(" "), "last_name", models.Value(" "), "preferred_name"
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    # set by the right to erasure or the retention job: the row stays for the counts
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            # customers_named(): the names nearest the query by word similarity, in order
            # (`ORDER BY search_name <->> query LIMIT k`): only GiST serves that ordering,
            # so a name that exists costs the same however many customers share it
            GistIndex(OpClass("search_name", name="gist_trgm_ops"), name="customer_search_knn"),
            # customers_named(): the customers whose name holds one of the lexicon's words
            # close to the query (`string_to_array(search_name, ' ') && words`)
            GinIndex(NameWords("search_name"), name="customer_name_words"),
            # duplicate detection compares birth dates first
            models.Index(fields=["birth_date"], name="customer_birth_date"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("customers:detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def salutation(self) -> str:
        """How to greet the person: their chosen name, else civility and full name."""
        if self.preferred_name:
            return self.preferred_name
        civility = self.get_civility_display() if self.civility else ""
        return f"{civility} {self.full_name}".strip()


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Téléphone")
    EMAIL = "email", _("E-mail")


class ContactPoint(models.Model):
    """A phone (E.164) or an e-mail (case-folded) of a customer; several per customer."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contact_points", verbose_name=_("client")
    )
    kind = models.CharField(_("type"), max_length=5, choices=ContactKind)
    value = models.CharField(_("valeur"), max_length=254)
    label = models.CharField(
        _("libellé"), max_length=40, blank=True, help_text=_("mobile, domicile, travail…")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coordonnée")
        verbose_name_plural = _("coordonnées")
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "kind", "value"], name="contact_point_unique"
            )
        ]
        # caller identification: lookup by (kind, normalised value); a number may be shared
        indexes = [models.Index(fields=["kind", "value"], name="contact_point_lookup")]

    def __str__(self) -> str:
        return self.value


class IdentifierKind(models.TextChoices):
    CARD = "card", _("Carte")
    CONTRACT = "contract", _("Contrat")


class Identifier(ChoiceLabels, models.Model):
    """A card or contract number: secondary, searchable, never shown first."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="identifiers", verbose_name=_("client")
    )
    kind = models.CharField(_("type"), max_length=8, choices=IdentifierKind)
    number = models.CharField(_("numéro"), max_length=40)

    class Meta:
        verbose_name = _("identifiant")
        verbose_name_plural = _("identifiants")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="identifier_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class CustomerMerge(models.Model):
    """Trace of a merge, enough to undo it: the absorbed record as it was (every field,
    so that undoing recreates it under the same number), and per app what moved."""

    survivor = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="merges")
    absorbed_id = models.BigIntegerField()
    absorbed_snapshot = models.JSONField()
    # {"core": {...}, "reconquete": {...}, "satisfaction": {...}}: row ids moved, rows
    # folded into one of the survivor's (with the values they had), fields changed
    moved = models.JSONField(_("lignes déplacées"), default=dict, blank=True)
    merged_by = models.ForeignKey("agences.Agent", on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    undone_by = models.ForeignKey(
        "agences.Agent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("fusion de fiches")
        verbose_name_plural = _("fusions de fiches")

    def __str__(self) -> str:
        return f"{self.absorbed_id} → {self.survivor_id}"


class ConsentChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Téléphone")
    POST = "post", _("Courrier")
    APP = "app", _("Notification de l'application")


class ConsentPurpose(models.TextChoices):
    MARKETING = "marketing", _("Offres et reconquête")
    SURVEYS = "surveys", _("Enquêtes de satisfaction")
    # warnings of a disruption on the customer's lines (relation_client/network/contact.py):
    # information about their journeys, not marketing, so a consent of its own
    TRAVEL_INFO = "travel_info", _("Informations voyageurs (perturbations)")


class ConsentSource(models.TextChoices):
    COUNTER = "counter", _("Au guichet")
    PHONE = "phone", _("Au téléphone")
    WEB = "web", _("Site web")
    APP = "app", _("Application mobile")
    IMPORT = "import", _("Import partenaire")
    CUSTOMER_REQUEST = "customer_request", _("Demande du client")
    # the customer answered STOP to an SMS: recorded by the provider's call, never by hand
    SMS_STOP = "sms_stop", _("Réponse STOP par SMS")
    # the link at the foot of every campaign mail or SMS, and of survey invitations
    UNSUBSCRIBE_LINK = "unsubscribe_link", _("Lien de désinscription")


class Consent(ChoiceLabels, models.Model):
    """One decision of a customer about a purpose on a channel. Rows are never updated:
    the latest row per (customer, channel, purpose) is the current state, the others are
    the history."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="consents")
    channel = models.CharField(_("canal"), max_length=8, choices=ConsentChannel)
    purpose = models.CharField(_("finalité"), max_length=12, choices=ConsentPurpose)
    given = models.BooleanField(_("accordé"))
    recorded_at = models.DateTimeField(_("enregistré le"))
    source = models.CharField(_("source"), max_length=20, choices=ConsentSource)
    recorded_by = models.ForeignKey(
        "agences.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["-recorded_at", "-id"]
        indexes = [
            # consent_current(): DISTINCT ON (customer, channel, purpose) ORDER BY recorded_at DESC
            models.Index(
                fields=["customer", "channel", "purpose", "-recorded_at", "-id"],
                name="consent_current",
            )
        ]

    def __str__(self) -> str:
        state = _("oui") if self.given else _("non")
        return f"{self.get_purpose_display()} / {self.get_channel_display()} : {state}"
