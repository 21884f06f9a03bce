import datetime
import json

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from agences.models import Agency, Agent
from relation_client import extensions
from relation_client.customers.models import (
    Civility,
    ConsentChannel,
    ConsentPurpose,
    ConsentSource,
    Customer,
    Segment,
)
from relation_client.customers.normalize import email_normalize, phone_display, phone_normalize
from relation_client.extensions import FormRow
from relation_client.touchpoints.forms import open_request_cleaned, open_request_field
from relation_client.touchpoints.models import Channel, Direction, Mood, Outcome, Reason
from socle.errors import DomainError


def _split(text: str) -> list[str]:
    return [
        part.strip()
        for part in text.replace(";", "\n").replace(",", "\n").splitlines()
        if part.strip()
    ]


ITEM_MAX_LENGTH = 40  # a tag, a card or a contract number: the length of their columns


def _split_bounded(text: str) -> list[str]:
    parts = _split(text)
    for part in parts:
        if len(part) > ITEM_MAX_LENGTH:
            raise forms.ValidationError(
                _("« %(start)s… » est trop long : %(max)s caractères au plus par élément."),
                code="max_length",
                params={"start": part[:20], "max": ITEM_MAX_LENGTH},
            )
    return parts


class AgentChoiceField(forms.ModelChoiceField):
    """An agent of any agency, chosen by name: the list sorted by name, each with their
    agency (two namesakes stay apart); a select's type-ahead finds a name by keyboard."""

    def __init__(self, **kwargs):
        super().__init__(queryset=self.choices_for(), **kwargs)

    @staticmethod
    def choices_for(keep_id: int | None = None):
        """Active agents, and `keep_id` (the present usual contact, even if they left)."""
        return (
            Agent.objects.filter(Q(user__is_active=True) | Q(pk=keep_id))
            .select_related("agency")
            .order_by("display_name", "agency__name", "id")
        )

    def label_from_instance(self, obj: Agent) -> str:
        return f"{obj.display_name} · {obj.agency.name}"


def _record_layout(*tail) -> Layout:
    """A record's fields as the creation and the edit forms both lay them out (identity,
    contact points, attachments, free text), followed by what each form adds: `tail`."""
    return Layout(
        Row(
            Column("civility", css_class="col-md-2"),
            Column("first_name", css_class="col-md-5"),
            Column("last_name", css_class="col-md-5"),
        ),
        Row(Column("preferred_name"), Column("birth_date"), Column("preferred_language")),
        Row(Column("phones"), Column("emails")),
        Row(Column("segment"), Column("home_agency"), Column("usual_contact")),
        "postal_address",
        "needs",
        "tags",
        *tail,
    )


class CustomerForm(forms.Form):
    civility = forms.ChoiceField(
        label=_("Civilité"), required=False, choices=[("", _("—"))] + list(Civility.choices)
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    preferred_name = forms.CharField(
        label=_("Appellation souhaitée"),
        max_length=100,
        required=False,
        help_text=_("Par exemple « Madame Hélène » ou « Docteur Martin »."),
    )
    birth_date = forms.DateField(
        label=_("Date de naissance"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    phones = forms.CharField(
        label=_("Téléphones"),
        required=False,
        help_text=_("Un ou plusieurs, séparés par des virgules."),
    )
    emails = forms.CharField(label=_("E-mails"), required=False)
    preferred_language = forms.ChoiceField(
        label=_("Langue préférée"),
        choices=Customer._meta.get_field("preferred_language").choices,
        initial="fr",
    )
    segment = forms.ModelChoiceField(
        label=_("Segment"),
        queryset=Segment.objects.all(),
        required=False,
        empty_label=_("— aucun —"),
    )
    home_agency = forms.ModelChoiceField(
        label=_("Agence de rattachement"),
        queryset=Agency.objects.all(),
        required=False,
        empty_label=_("— aucune —"),
    )
    usual_contact = AgentChoiceField(
        label=_("Interlocuteur habituel"), required=False, empty_label=_("— aucun —")
    )
    postal_address = forms.CharField(
        label=_("Adresse postale"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    needs = forms.CharField(
        label=_("Besoins et préférences"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    tags = forms.CharField(
        label=_("Étiquettes"),
        required=False,
        help_text=_("Par exemple : mobilité réduite, gros caractères."),
    )
    cards = forms.CharField(label=_("Numéros de carte"), required=False)
    contracts = forms.CharField(label=_("Numéros de contrat"), required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("J'ai vérifié : il s'agit d'une autre personne, créer la fiche."), required=False
    )

    def __init__(self, *args, show_confirm: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_confirm:
            self.fields["confirm_duplicate"].widget = forms.HiddenInput()
        self.helper = FormHelper()
        self.helper.layout = _record_layout(
            Row(Column("cards"), Column("contracts")),
            "confirm_duplicate",
            Submit("save", _("Enregistrer la fiche")),
        )

    def clean_phones(self):
        try:
            return [phone_normalize(p, field="phones") for p in _split(self.cleaned_data["phones"])]
        except DomainError as error:
            raise forms.ValidationError(str(error), code=error.code) from None

    def clean_emails(self):
        try:
            return [email_normalize(e, field="emails") for e in _split(self.cleaned_data["emails"])]
        except DomainError as error:
            raise forms.ValidationError(str(error), code=error.code) from None

    def clean_tags(self):
        return _split_bounded(self.cleaned_data["tags"])

    def clean_cards(self):
        return _split_bounded(self.cleaned_data["cards"])

    def clean_contracts(self):
        return _split_bounded(self.cleaned_data["contracts"])


def _joined(values: list[str]) -> str:
    return ", ".join(values)


class CustomerEditForm(CustomerForm):
    """Changing a record after its creation: every field customer_update takes, the
    contact points replaced as a whole. Card and contract numbers are not edited here.
    `version` carries the record's `updated_at` as the agent read it (optimistic
    concurrency: customer_update refuses the save when the record moved since)."""

    version = forms.CharField(widget=forms.HiddenInput)
    # the values the form showed (initial_raw, as JSON): on a collision, what someone else
    # changed meanwhile is told apart from what this agent typed
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, customer: Customer, show_confirm: bool = False, **kwargs):
        super().__init__(*args, show_confirm=show_confirm, **kwargs)
        self.fields["usual_contact"].queryset = AgentChoiceField.choices_for(
            customer.usual_contact_id
        )
        for name in ("cards", "contracts"):
            del self.fields[name]
        self.fields["confirm_duplicate"].label = _(
            "J'ai vérifié : il s'agit d'une autre personne, enregistrer quand même."
        )
        self.fields["phones"].help_text = _(
            "Un ou plusieurs, séparés par des virgules ; les numéros d'outre-mer et "
            "étrangers avec leur indicatif (+262…, +32…)."
        )
        self.helper.form_tag = False
        self.helper.layout = _record_layout("confirm_duplicate", "version", "seen")
        self.fields["birth_date"].widget.format = "%Y-%m-%d"  # what <input type="date"> reads

    @staticmethod
    def initial_for(customer: Customer) -> dict:
        points = list(customer.contact_points.all())
        return {
            "civility": customer.civility,
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "preferred_name": customer.preferred_name,
            "birth_date": customer.birth_date,
            "preferred_language": customer.preferred_language,
            "phones": _joined([phone_display(p.value) for p in points if p.kind == "phone"]),
            "emails": _joined([p.value for p in points if p.kind == "email"]),
            "segment": customer.segment_id,
            "home_agency": customer.home_agency_id,
            "usual_contact": customer.usual_contact_id,
            "postal_address": customer.postal_address,
            "needs": customer.needs,
            "tags": _joined(customer.tags),
            "version": customer.updated_at.isoformat(),
        }

    @classmethod
    def initial_raw(cls, customer: Customer) -> dict[str, str]:
        """initial_for as the browser sends it back: text, dates in ISO, ids as text."""
        raw = {}
        for name, value in cls.initial_for(customer).items():
            if name == "version":
                continue
            if isinstance(value, datetime.date):
                value = value.isoformat()
            raw[name] = "" if value is None else str(value).replace("\r\n", "\n")
        return raw

    def collision(self, current: Customer) -> tuple[dict, list[tuple[str, str, bool]]]:
        """After EditConflict: the data to show again, and the fields someone else changed
        meanwhile, [(name, the value stored now, whether this agent changed it too)]. A
        field only the other person changed takes their value; one both changed keeps
        this agent's input, to be checked; `version` moves on to the stored record's, so
        that saving again is a decision made knowing it."""
        try:
            seen = json.loads(self.data.get("seen") or "{}")
        except ValueError:
            seen = {}
        now = self.initial_raw(current)
        data = self.data.copy()
        changed = []
        for name, stored in now.items():
            before = (seen.get(name) or "").replace("\r\n", "\n")
            if stored == before:
                continue
            typed = (self.data.get(name) or "").replace("\r\n", "\n")
            both = typed != before
            if not both:
                data[name] = stored
            changed.append((name, stored, both))
        data["version"] = current.updated_at.isoformat()
        data["seen"] = json.dumps(now)
        return data, changed

    def display(self, name: str, raw: str) -> str:
        """A raw value as the agent reads it: a choice's label, else the text."""
        field = self.fields[name]
        if raw and hasattr(field, "choices"):
            for value, label in field.choices:
                if str(value) == raw:
                    return str(label)
        return raw or str(_("(vide)"))

    def clean_version(self) -> datetime.datetime:
        moment = parse_datetime(self.cleaned_data["version"])
        if moment is None:
            raise forms.ValidationError(
                _("Rechargez la page de modification."), code="invalid_version"
            )
        return moment


class LocalDateTimeField(forms.DateTimeField):
    """A local date and time as a person means it, even inside the DST change hours.

    Django refuses those (from_current_timezone), yet an agent types the time on the clock:
    the 02:30 that happens twice in late October is taken as its first occurrence, and the
    02:30 that does not exist in late March is shifted forward by the missing hour (03:30).
    Both follow from zoneinfo's fold=0 (PEP 495): the offset in force before the change.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            moment = value
        elif isinstance(value, datetime.date):
            moment = datetime.datetime(value.year, value.month, value.day)
        else:
            try:
                moment = parse_datetime(value.strip())
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            # the configured input formats (dd/mm/yyyy hh:mm …), as DateTimeField reads them
            moment = moment or super(forms.DateTimeField, self).to_python(value)
        if timezone.is_aware(moment):
            return moment
        zone = timezone.get_current_timezone()
        # in UTC, as the database gives it back: a Paris datetime still inside the change
        # hour never compares equal to another zone's (PEP 495), nor is a nonexistent one
        # moved by astimezone() to its own zone
        local = moment.replace(tzinfo=zone, fold=0)
        try:
            return local.astimezone(datetime.UTC)
        except OverflowError:  # 1 January of year 1: the service refuses it as implausible
            return local


class TouchpointForm(forms.Form):
    """Logging an exchange: one short form, usable with the keyboard alone. Laid out by
    templates/customers/partials/_touchpoint_fields.html from `layout`: the core's rows,
    then the satellites' (extensions.touchpoint_form_fields)."""

    CORE_ROWS = (
        FormRow((("channel", "col-md-4"), ("direction", "col-md-3"), ("reason", "col-md-5"))),
        FormRow((("summary", "col-12"),)),
        FormRow((("outcome", "col-md-6"), ("open_request", "col-md-6"))),
        FormRow((("mood", "col-md-6"), ("occurred_at", "col-md-6"))),
    )

    channel = forms.ChoiceField(label=_("Canal"), choices=Channel.choices, initial=Channel.PHONE)
    direction = forms.ChoiceField(
        label=_("Sens"), choices=Direction.choices, initial=Direction.INBOUND
    )
    reason = forms.ChoiceField(label=_("Motif"))
    summary = forms.CharField(
        label=_("Résumé de l'échange"), widget=forms.Textarea(attrs={"rows": 2, "autofocus": True})
    )
    outcome = forms.ChoiceField(
        label=_("Suite"),
        required=False,
        choices=[("", _("— à préciser —"))] + list(Outcome.choices),
    )
    mood = forms.ChoiceField(
        label=_("Humeur du client"),
        required=False,
        choices=[("", _("— non notée —"))] + list(Mood.choices),
    )
    open_request = open_request_field()
    occurred_at = LocalDateTimeField(
        label=_("Date et heure"),
        required=False,
        help_text=_("Laisser vide pour maintenant."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, panels: dict | None = None, **kwargs):
        """`panels`: what the customer page loaded for this customer through the core's
        extension points ({panel name: data}); the satellites' fields depend on it."""
        super().__init__(*args, **kwargs)
        core_fields = set(self.fields)
        extra_rows = [
            item
            for add_fields in extensions.touchpoint_form_fields
            for item in add_fields(self, panels=panels or {})
        ]
        # the satellites' fields, handed to touchpoint_log as `extra`
        self.extension_fields = [name for name in self.fields if name not in core_fields]
        # one query for the managed list, however often the widget is rendered
        self._reasons = {r.code: r for r in Reason.objects.filter(active=True)}
        self.fields["reason"].choices = [(code, r.label) for code, r in self._reasons.items()]
        self.layout = [*self.CORE_ROWS, *extra_rows]

    def rows(self) -> list[tuple[str, list[tuple[forms.BoundField, str]]]]:
        """The layout with each field bound, for _touchpoint_fields.html:
        [(legend, [(bound field, column class)])]."""
        return [
            (row.legend, [(self[name], css) for name, css in row.fields]) for row in self.layout
        ]

    def extension_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.extension_fields}

    def clean_reason(self) -> Reason:
        return self._reasons[self.cleaned_data["reason"]]

    def clean_open_request(self) -> bool | None:
        return open_request_cleaned(self.cleaned_data["open_request"])

    def clean_occurred_at(self):
        value = self.cleaned_data.get("occurred_at")
        if value and value > timezone.now():
            raise forms.ValidationError(
                _("La date du contact ne peut pas être dans le futur."), code="future_date"
            )
        return value


class IncomingCallForm(forms.Form):
    phone = forms.CharField(label=_("Numéro de l'appelant"), max_length=40)


class ConsentForm(forms.Form):
    """A customer's decision about a purpose on a channel, as told to an agent."""

    GIVEN, WITHDRAWN = "accorde", "retire"

    purpose = forms.ChoiceField(
        label=_("Finalité"),
        choices=ConsentPurpose.choices,
        error_messages={"invalid_choice": _("Choisissez une finalité de la liste.")},
    )
    channel = forms.ChoiceField(
        # not "Canal": the touchpoint form on the same page has a field of that name
        label=_("Moyen de contact"),
        choices=ConsentChannel.choices,
        error_messages={"invalid_choice": _("Choisissez un canal de la liste.")},
    )
    decision = forms.ChoiceField(
        label=_("Décision du client"),
        choices=[(GIVEN, _("Accordé")), (WITHDRAWN, _("Retiré"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Dites si le client accorde ou retire son consentement."),
            "invalid_choice": _("Dites si le client accorde ou retire son consentement."),
        },
    )
    source = forms.ChoiceField(
        label=_("Recueilli"),
        # recorded by the SMS provider's call (STOP) or by the unsubscribe link itself:
        # an agent never picks them
        choices=[
            c
            for c in ConsentSource.choices
            if c[0] not in (ConsentSource.SMS_STOP, ConsentSource.UNSUBSCRIBE_LINK)
        ],
        initial=ConsentSource.PHONE,
        error_messages={"invalid_choice": _("Choisissez comment la décision a été recueillie.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "consentement")
        super().__init__(*args, **kwargs)

    def clean_decision(self) -> bool:
        return self.cleaned_data["decision"] == self.GIVEN
