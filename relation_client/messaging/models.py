"""Mailboxes, the messages they received, and the outbox of everything sent.

A received message is stored exactly once (its Message-ID, and its place in its mailbox)
with its raw bytes, whatever happens next; what it became (a touchpoint on a request, an
unidentified contact, an automatic mail set aside) is written on the same row. A message
to send is an outbox row written in the caller's transaction; a worker sends it after the
commit, retries with backoff, and a failure stays visible on the row and its request.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MailboxKind(models.TextChoices):
    IMAP = "imap", _("IMAP")
    MAILDIR = "maildir", _("Maildir (serveur de messagerie local)")


class Mailbox(models.Model):
    """An address customers write to: the network's, or one agency's. The password is
    never stored: `password_env` names the environment variable that holds it."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    address = models.EmailField(
        _("adresse"),
        unique=True,
        help_text=_("L'adresse à laquelle écrivent les clients ; les réponses partent d'elle."),
    )
    agency = models.ForeignKey(
        "agences.Agency",
        on_delete=models.PROTECT,
        related_name="mailboxes",
        verbose_name=_("agence"),
        help_text=_(
            "L'agence qui traite les messages reçus ici (pour une boîte du réseau : ceux des "
            "clients sans agence de rattachement)."
        ),
    )
    network = models.BooleanField(
        _("boîte du réseau"),
        default=False,
        help_text=_("Les messages vont à l'agence de rattachement du client."),
    )
    kind = models.CharField(_("type"), max_length=8, choices=MailboxKind, default=MailboxKind.IMAP)
    host = models.CharField(_("serveur IMAP"), max_length=255, blank=True)
    port = models.PositiveIntegerField(_("port"), default=993)
    use_ssl = models.BooleanField(
        _("TLS dès la connexion"), default=True, help_text=_("Port 993 ; sinon STARTTLS si offert.")
    )
    username = models.CharField(_("identifiant"), max_length=255, blank=True)
    password_env = models.CharField(
        _("variable d'environnement du mot de passe"),
        max_length=64,
        blank=True,
        help_text=_("Par exemple MAILBOX_LYON_PASSWORD : le mot de passe n'est jamais en base."),
    )
    folder = models.CharField(_("dossier"), max_length=120, default="INBOX")
    maildir_path = models.CharField(_("chemin du Maildir"), max_length=500, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # IMAP UIDs are only meaningful within one UIDVALIDITY of the folder
    uidvalidity = models.BigIntegerField(null=True, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("dernière relève"), null=True, blank=True)
    last_error = models.CharField(_("dernière erreur"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("boîte de réception")
        verbose_name_plural = _("boîtes de réception")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"


class InboundSource(models.TextChoices):
    IMAP = "imap", _("IMAP")
    MAILDIR = "maildir", _("Maildir")
    WEB_FORM = "web_form", _("Formulaire de contact")


class InboundStatus(models.TextChoices):
    # stored, not yet turned into anything (a crash between the two steps leaves this)
    RECEIVED = "received", _("Reçu")
    # became a touchpoint (and opened or joined a request)
    FILED = "filed", _("Classé")
    # no customer matched: waits for an agent to attach it or create the customer
    UNIDENTIFIED = "unidentified", _("Expéditeur inconnu")
    # auto-reply, bounce, mailing list, our own mail come back: opens nothing
    AUTOMATIC = "automatic", _("Message automatique")
    # could not be read well enough to be filed: kept, flagged, shown to staff
    MALFORMED = "malformed", _("Illisible")


class InboundFlag(models.TextChoices):
    MALFORMED_MIME = "malformed_mime", _("Structure MIME défectueuse")
    BAD_HEADER = "bad_header", _("En-tête mal encodé")
    ATTACHMENT_TOO_LARGE = "attachment_too_large", _("Pièce jointe trop volumineuse")
    ATTACHMENT_REFUSED = "attachment_refused", _("Type de pièce jointe refusé")
    LOOP = "loop", _("Notre propre message revenu")
    ERASED_SENDER = "erased_sender", _("Expéditeur effacé (RGPD)")
    NO_MESSAGE_ID = "no_message_id", _("Sans Message-ID")


class InboundMessage(models.Model):
    """One message received: by a mailbox, or written on the public contact form."""

    source = models.CharField(_("source"), max_length=10, choices=InboundSource)
    mailbox = models.ForeignKey(
        Mailbox,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("boîte"),
    )
    # place in the mailbox: IMAP (uidvalidity, uid), or the Maildir file's unique name
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    uid = models.BigIntegerField(null=True, blank=True)
    maildir_key = models.CharField(max_length=255, blank=True)
    # headers, as sent (angle brackets kept); "" when absent
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    # the headers that tell an automatic mail (Auto-Submitted, Precedence, List-Id,
    # X-Autoreply, Content-Type of a delivery report, X-Relation-Client…), name -> value
    headers = models.JSONField(default=dict, blank=True)
    sender_address = models.CharField(
        _("expéditeur"), max_length=254, blank=True, help_text=_("En minuscules.")
    )
    sender_name = models.CharField(_("nom de l'expéditeur"), max_length=200, blank=True)
    sender_phone = models.CharField(_("téléphone"), max_length=32, blank=True)
    to_address = models.CharField(_("destinataire"), max_length=254, blank=True)
    subject = models.CharField(_("objet"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    received_at = models.DateTimeField(_("reçu le"))
    # the whole text, the new part alone (quotes and signature removed) for the timeline,
    # and the HTML part sanitised for display (never the raw HTML)
    body_text = models.TextField(_("texte"), blank=True)
    reply_text = models.TextField(_("texte sans citation"), blank=True)
    body_html = models.TextField(_("HTML nettoyé"), blank=True)
    raw = models.BinaryField(_("message brut"), null=True, blank=True)
    raw_size = models.PositiveIntegerField(_("taille"), default=0)
    # web form: what the customer chose
    reason = models.ForeignKey(
        "touchpoints.Reason", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    line = models.CharField(_("ligne"), max_length=40, blank=True)
    # the network's line chosen on the form (`line` keeps its name as it was then): once
    # the sender is a customer, a line they ride (source mentioned), and what links a
    # complaint to the line's disruption
    network_line = models.ForeignKey(
        "network.Line",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ligne concernée"),
    )
    stop = models.CharField(_("arrêt"), max_length=120, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=InboundStatus, default=InboundStatus.RECEIVED
    )
    flags = ArrayField(
        models.CharField(max_length=24, choices=InboundFlag),
        default=list,
        blank=True,
        verbose_name=_("signalements"),
    )
    automatic_reason = models.CharField(_("motif automatique"), max_length=80, blank=True)
    error = models.TextField(_("erreur de lecture"), blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inbound_messages",
        verbose_name=_("client"),
    )
    touchpoint = models.OneToOneField(
        "touchpoints.Touchpoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_message",
    )
    request = models.ForeignKey(
        "touchpoints.Request",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
        verbose_name=_("demande"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filed_at = models.DateTimeField(_("classé le"), null=True, blank=True)
    filed_by = models.ForeignKey(
        "agences.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("message reçu")
        verbose_name_plural = _("messages reçus")
        ordering = ["-received_at", "-id"]
        constraints = [
            # stored exactly once: by its Message-ID, and by its place in its mailbox
            models.UniqueConstraint(
                fields=["message_id"],
                condition=~Q(message_id=""),
                name="inbound_message_id_once",
            ),
            models.UniqueConstraint(
                fields=["mailbox", "uidvalidity", "uid"],
                condition=Q(uid__isnull=False),
                name="inbound_imap_place_once",
            ),
            models.UniqueConstraint(
                fields=["mailbox", "maildir_key"],
                condition=~Q(maildir_key=""),
                name="inbound_maildir_place_once",
            ),
        ]
        indexes = [
            # the unidentified contacts and malformed messages waiting for staff
            models.Index(
                fields=["status", "-received_at"],
                condition=Q(status__in=["unidentified", "malformed", "received"]),
                name="inbound_to_handle",
            ),
            models.Index(fields=["sender_address", "-received_at"], name="inbound_sender"),
        ]

    def __str__(self) -> str:
        return self.subject or str(self.pk)


class InboundAttachment(models.Model):
    """A file sent with a message, within the size and type limits; a refused one keeps
    its name, type and size and the reason, never its content."""

    message = models.ForeignKey(
        InboundMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    filename = models.CharField(_("nom"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveIntegerField(_("taille"))
    content = models.BinaryField(null=True, blank=True)
    refused = models.CharField(_("refusée"), max_length=24, choices=InboundFlag, blank=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class OutboundChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class OutboundPurpose(models.TextChoices):
    ANSWER = "answer", _("Réponse à une demande")
    ACKNOWLEDGEMENT = "acknowledgement", _("Accusé de réception")
    CAMPAIGN = "campaign", _("Campagne de reconquête")
    INVITATION = "invitation", _("Invitation à une enquête")
    # a rider warned of a disruption of their line (relation_client/network/contact.py)
    PROACTIVE = "proactive", _("Information voyageurs (perturbation)")


# marketing purposes: consent is checked again at the moment of sending, quiet hours apply
MARKETING_PURPOSES = [OutboundPurpose.CAMPAIGN]


class OutboundStatus(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")
    # consent withdrawn between the queueing and the sending, or held by quiet hours' end
    CANCELLED = "cancelled", _("Annulé")


class OutboundMessage(models.Model):
    """One message to send (the outbox): written in the caller's transaction, sent by a
    worker after the commit, claimed by dispatch number like the webhooks' deliveries."""

    channel = models.CharField(_("canal"), max_length=5, choices=OutboundChannel)
    purpose = models.CharField(_("objet de l'envoi"), max_length=16, choices=OutboundPurpose)
    to_address = models.CharField(
        _("destinataire"), max_length=254, help_text=_("Adresse e-mail, ou numéro E.164.")
    )
    from_address = models.CharField(_("expéditeur"), max_length=254, blank=True)
    subject = models.CharField(_("objet"), max_length=300, blank=True)
    body_text = models.TextField(_("texte"))
    # extra headers (List-Unsubscribe…), name -> value
    headers = models.JSONField(default=dict, blank=True)
    # our Message-ID, set when the row is written (threading finds its request by it)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    language = models.CharField(_("langue"), max_length=8, default="fr")
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outbound_messages",
    )
    request = models.ForeignKey(
        "touchpoints.Request",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_messages",
    )
    touchpoint = models.ForeignKey(
        "touchpoints.Touchpoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_messages",
    )
    agent = models.ForeignKey(
        "agences.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # what a satellite sends for (a campaign target, an invitation): "reconquete.target:12"
    origin = models.CharField(max_length=60, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=OutboundStatus, default=OutboundStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    dispatch = models.PositiveIntegerField(default=1)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"))
    last_error = models.CharField(_("dernière erreur"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("message envoyé")
        verbose_name_plural = _("messages envoyés")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"], condition=~Q(message_id=""), name="outbound_message_id_once"
            ),
            # a campaign or an invitation sends once per origin and channel
            models.UniqueConstraint(
                fields=["origin", "channel"], condition=~Q(origin=""), name="outbound_origin_once"
            ),
        ]
        indexes = [
            # the sweep: pending messages whose attempt is due
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outbound_due",
            ),
            models.Index(fields=["request", "-created_at"], name="outbound_request"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.to_address}"


class AnswerTemplate(models.Model):
    """A canned answer, per reason and language, with variables ({salutation}…: see
    messaging.answer_templates)."""

    title = models.CharField(_("titre"), max_length=120)
    reason = models.ForeignKey(
        "touchpoints.Reason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("motif"),
        help_text=_("Vide : pour tous les motifs."),
    )
    language = models.CharField(_("langue"), max_length=8, default="fr")
    subject = models.CharField(_("objet"), max_length=200, blank=True)
    body = models.TextField(_("texte"))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        "agences.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("réponse type")
        verbose_name_plural = _("réponses types")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "language"], name="answer_template_title_language"
            )
        ]

    def __str__(self) -> str:
        return self.title
