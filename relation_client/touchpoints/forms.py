"""Input of the workspace pages; the crispy layout lives with each form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db.models import Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agences.models import Agency, Agent, Partner
from relation_client.customers.quick import QuickCustomerForm
from relation_client.touchpoints.models import (
    Channel,
    GestureKind,
    Reason,
    Request,
    RequestStatus,
    Touchpoint,
)
from relation_client.touchpoints.selectors import (
    ASSIGNEE_ME,
    ASSIGNEE_NOBODY,
    QueueFilters,
    queue_assignees,
    touchpoints_attachable,
)
from relation_client.touchpoints.services.requests import (
    BULK_CLOSE,
    BULK_MAX,
    BULK_REASSIGN,
    BULK_WAIT,
)

# the queue's agency choice for the network roles: every agency at once
ALL_AGENCIES = "toutes"


def _helper(
    *, form: forms.Form, action: str, submit: str, target: str | None = None, method: str = "post"
):
    helper = FormHelper()
    helper.form_method = method
    helper.form_action = action
    if target:
        # htmx when available; the same form posts normally without JavaScript
        helper.attrs = {"hx-post": action, "hx-target": target, "hx-swap": "outerHTML"}
    # one page holds several of these forms: each button needs its own id
    name = form.prefix or type(form).__name__.lower()
    helper.add_input(Submit("submit", submit, css_id=f"{name}-submit"))
    return helper


def choices_frozen(form: forms.Form, name: str) -> int:
    """Evaluate a model choice field's options once, so that the template can count and
    render them with one query; validation still goes through the queryset."""
    field = form.fields[name]
    # iter(): list() alone would first ask the iterator's len(), a COUNT query
    field.choices = list(iter(field.choices))
    return len(field.choices)


# "Demande" in the forms logging an exchange: "" follows the reason's default
# (Reason.opens_request), the agent's choice wins; the hint view reads the same values
OPEN_REQUEST_CHOICES = {"oui": True, "non": False}


def open_request_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Demande"),
        required=False,
        choices=[
            ("", _("Selon le motif")),
            ("oui", _("Ouvrir une demande")),
            ("non", _("Ne pas ouvrir de demande")),
        ],
    )


def open_request_cleaned(value: str) -> bool | None:
    """The field's value for touchpoint_log: True, False, or None for the reason's default."""
    return OPEN_REQUEST_CHOICES.get(value)


def _agent_groups(agents, *, first_agency_id: int | None = None) -> list:
    """Agents as options grouped by agency (their own agency first): one <optgroup> each."""
    groups: dict[int, tuple[str, list]] = {}
    for agent in agents:
        groups.setdefault(agent.agency_id, (agent.agency.name, []))[1].append(
            (str(agent.pk), agent.display_name)
        )
    ordered = sorted(groups.items(), key=lambda item: item[0] != first_agency_id)
    return [(name, options) for _pk, (name, options) in ordered]


class QueueFilterForm(forms.Form):
    """The queue's filters, sort and search, in the URL (a GET form: a filtered queue is
    a link to share). Its options come from lists the view loaded once (segments, the
    agents, the agencies for the network roles): no query of its own."""

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=200,
        help_text=_("Nom du client, objet, ou référence (RC-000042)."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    statut = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[
            ("", _("En cours")),
            (RequestStatus.OPEN, _("Ouvertes")),
            (RequestStatus.WAITING_CUSTOMER, _("En attente du client")),
        ],
    )
    canal = forms.ChoiceField(
        label=_("Canal"), required=False, choices=[("", _("Tous les canaux")), *Channel.choices]
    )
    responsable = forms.ChoiceField(label=_("Responsable"), required=False)
    segment = forms.TypedChoiceField(
        label=_("Segment du client"), required=False, coerce=int, empty_value=None
    )
    tri = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[
            ("echeance", _("Échéance")),
            ("priorite", _("Priorité du segment")),
            ("ouverture", _("Ouverture, récentes d'abord")),
        ],
    )
    retard = forms.BooleanField(label=_("En retard seulement"), required=False)

    def __init__(self, *args, segments, agents, agencies=None, agent: Agent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = [
            ("", _("Tous les segments")),
            *((str(segment.pk), segment.name) for segment in segments),
        ]
        self.fields["responsable"].choices = [
            ("", _("Tout le monde")),
            (ASSIGNEE_ME, _("Moi")),
            (ASSIGNEE_NOBODY, _("Personne (file de l'agence)")),
            *_agent_groups(agents, first_agency_id=agent.agency_id),
        ]
        fields = ["q", "statut", "canal", "responsable", "segment", "tri", "retard"]
        if agencies is not None:
            # the network roles: any agency's queue, or all of them
            self.fields["agence"] = forms.ChoiceField(
                label=_("Agence"),
                required=False,
                choices=[
                    (ALL_AGENCIES, _("Toutes les agences")),
                    *((str(agency.pk), agency.name) for agency in agencies),
                ],
            )
            self.initial.setdefault("agence", str(agent.agency_id))
            if self.is_bound and "agence" not in self.data:
                # a link without the agency (?retard=on) is the agent's own agency's queue
                self.data = self.data.copy()
                self.data["agence"] = str(agent.agency_id)
            fields.insert(0, "agence")
        self.helper = _helper(
            form=self, action=reverse("touchpoints:queue"), submit=_("Filtrer"), method="get"
        )
        self.helper.form_id = "filtres"
        self.helper.attrs = {"aria-label": _("Filtrer la file")}
        self.helper.layout = Layout(
            Row(
                *(
                    Column(name, css_class="col-sm-6 col-lg-4")
                    for name in fields
                    if name != "retard"
                )
            ),
            "retard",
        )

    def filters(self) -> QueueFilters:
        """What was validated; a field refused (an unknown colleague) filters nothing."""
        if not self.is_bound:
            return QueueFilters()
        self.is_valid()
        data = self.cleaned_data
        return QueueFilters(
            statuses=(data["statut"],) if data.get("statut") else (),
            channel=data.get("canal") or "",
            assignee=data.get("responsable") or "",
            overdue=bool(data.get("retard")),
            segment_id=data.get("segment"),
            sort=data.get("tri") or "echeance",
            text=(data.get("q") or "").strip(),
        )


class _RequestIds(forms.TypedMultipleChoiceField):
    """Request numbers: any number passes here, the service checks each request."""

    widget = forms.MultipleHiddenInput

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


class QueueBulkForm(forms.Form):
    """One action on the requests ticked in the queue: hand them to a colleague, close
    them, or have them wait for the customer."""

    demandes = _RequestIds(
        label=_("Demandes choisies"),
        coerce=int,
        error_messages={"required": _("Cochez au moins une demande.")},
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (BULK_REASSIGN, _("Réattribuer")),
            (BULK_CLOSE, _("Clôturer")),
            (BULK_WAIT, _("Mettre en attente du client")),
        ],
    )
    cible = forms.TypedChoiceField(
        label=_("Réattribuer à"), required=False, coerce=int, empty_value=None
    )
    # the queue's filters, to come back to the same list
    retour = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, agents, agent: Agent, **kwargs):
        super().__init__(*args, **kwargs)
        self.agents = {candidate.pk: candidate for candidate in agents}
        self.fields["cible"].choices = [
            ("", "—"),
            *_agent_groups(agents, first_agency_id=agent.agency_id),
        ]
        self.fields["cible"].widget.attrs.update({"class": "form-select", "id": "id_cible"})

    def clean_demandes(self):
        chosen = sorted(set(self.cleaned_data["demandes"]))
        if len(chosen) > BULK_MAX:
            raise forms.ValidationError(
                _("Au plus %(max)s demandes à la fois (%(count)s cochées).")
                % {"max": BULK_MAX, "count": len(chosen)}
            )
        return chosen

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == BULK_REASSIGN and not cleaned.get("cible"):
            self.add_error("cible", _("Choisissez à qui réattribuer les demandes cochées."))
        return cleaned

    def full_clean(self):
        super().full_clean()
        if "cible" in self.errors:
            self.fields["cible"].widget.attrs.update(
                {
                    "class": "form-select is-invalid",
                    "aria-invalid": "true",
                    "aria-describedby": "lot-cible-erreur",
                }
            )

    @property
    def assignee(self) -> Agent | None:
        return self.agents.get(self.cleaned_data.get("cible"))


class AnswerForm(forms.Form):
    prefix = "reponse"
    note = forms.CharField(
        label=_("Réponse apportée (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Elle sera ajoutée à l'historique du client."),
    )

    def __init__(self, *args, request: Request, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            form=self,
            action=reverse("touchpoints:request_answer", args=[request.pk]),
            submit=_("Marquer comme répondue"),
            target="#request-panel",
        )


class EscalateForm(forms.Form):
    prefix = "transmission"
    partner = forms.ModelChoiceField(
        label=_("Partenaire"), queryset=Partner.objects.order_by("name"), empty_label=None
    )
    note = forms.CharField(
        label=_("Note pour le partenaire"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Expliquez au partenaire ce qui est attendu.")},
    )

    def __init__(self, *args, request: Request, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            form=self,
            action=reverse("touchpoints:request_escalate", args=[request.pk]),
            submit=_("Transmettre"),
            target="#request-panel",
        )


class AttachForm(forms.Form):
    prefix = "rattachement"
    touchpoint = forms.ModelChoiceField(
        label=_("Contact à rattacher"), queryset=None, empty_label=None
    )

    def __init__(self, *args, request: Request, **kwargs):
        super().__init__(*args, **kwargs)
        latest = touchpoints_attachable(request=request)
        # the latest few only; a LIMIT subquery keeps the queryset filterable for validation
        self.fields["touchpoint"].queryset = (
            Touchpoint.objects.filter(pk__in=Subquery(latest.values("pk")))
            .select_related("reason")
            .order_by("-occurred_at", "-id")
        )
        self.fields["touchpoint"].label_from_instance = self._label
        self.helper = _helper(
            form=self,
            action=reverse("touchpoints:request_attach", args=[request.pk]),
            submit=_("Rattacher"),
            target="#request-panel",
        )

    @staticmethod
    def _label(touchpoint: Touchpoint) -> str:
        return (
            f"{touchpoint.occurred_at:%d/%m/%Y} · {touchpoint.get_channel_display()} · "
            f"{touchpoint.reason.label} · {touchpoint.summary[:60]}"
        )


class ReassignForm(forms.Form):
    """To a person (any agency) or to an agency's queue: one of the two."""

    prefix = "reattribution"
    assignee = forms.ModelChoiceField(
        label=_("À une personne"), queryset=None, required=False, empty_label="—"
    )
    agency = forms.ModelChoiceField(
        label=_("Ou à la file d'une agence"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="—",
    )

    def __init__(self, *args, request: Request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = queue_assignees()
        self.fields["assignee"].label_from_instance = self._label
        self.helper = _helper(
            form=self,
            action=reverse("touchpoints:request_reassign", args=[request.pk]),
            submit=_("Réattribuer"),
            target="#request-panel",
        )

    @staticmethod
    def _label(agent: Agent) -> str:
        return f"{agent.display_name} ({agent.agency.name})"

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("assignee")) == bool(cleaned.get("agency")):
            raise forms.ValidationError(
                _("Choisissez une personne ou la file d'une agence, pas les deux.")
            )
        return cleaned


class GestureForm(forms.Form):
    prefix = "geste"
    kind = forms.ChoiceField(label=_("Type de geste"), choices=GestureKind.choices)
    value = forms.DecimalField(
        label=_("Valeur (€)"),
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    channel = forms.ChoiceField(label=_("Canal"), choices=Channel.choices, initial=Channel.COUNTER)
    reason = forms.CharField(
        label=_("Motif"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Visible dans l'historique du client."),
    )

    def __init__(self, *args, customer_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            form=self,
            action=reverse("touchpoints:gesture_grant", args=[customer_id]),
            submit=_("Accorder le geste"),
            target="#gesture-form",
        )
        self.helper.form_id = "gesture-form-element"


class GestureDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approuver")), ("refuse", _("Refuser"))])


class AgencyChoiceForm(forms.Form):
    agence = forms.ModelChoiceField(
        label=_("Agence"), queryset=Agency.objects.order_by("name"), empty_label=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            form=self,
            action=reverse("touchpoints:identification"),
            submit=_("Afficher"),
            method="get",
        )
        self.helper.form_class = "d-flex align-items-end gap-3"


# --- exchanges with a person who gave no name (walk-ins) ----------------------------------


class WalkInForm(forms.Form):
    """« Échange sans nom »: one step, from the home page or the list of unattached
    exchanges; the same « Demande » choice as the customer page's form. The same field
    names and values as that form (the reason by its code), which the hint reads."""

    channel = forms.ChoiceField(label=_("Canal"), choices=Channel.choices, initial=Channel.COUNTER)
    reason = forms.ModelChoiceField(
        label=_("Motif"),
        queryset=Reason.objects.filter(active=True),
        to_field_name="code",
        empty_label=None,
    )
    summary = forms.CharField(
        label=_("Résumé de l'échange"), widget=forms.Textarea(attrs={"rows": 2})
    )
    contact_left = forms.CharField(
        label=_("Coordonnées laissées (facultatif)"),
        max_length=120,
        required=False,
        help_text=_("Un numéro ou une adresse pour rappeler la personne."),
    )
    open_request = open_request_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the reasons once, however often the widget is rendered
        choices_frozen(self, "reason")
        # the template holds the <form> (id "sans-nom"), the hint and the button
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("channel", css_class="col-md-6"), Column("reason", css_class="col-md-6")),
            "summary",
            # side by side on a wide screen only: the list page shows the form in a column
            Row(
                Column("contact_left", css_class="col-xxl-7"),
                Column("open_request", css_class="col-xxl-5"),
            ),
        )

    def clean_open_request(self) -> bool | None:
        return open_request_cleaned(self.cleaned_data["open_request"])


class WalkInCustomerForm(QuickCustomerForm):
    """A new customer from an unattached exchange: the name, and the number it left."""

    prefix = "fiche"

    def __init__(self, *args, touchpoint: Touchpoint, show_confirm: bool = False, **kwargs):
        super().__init__(*args, show_confirm=show_confirm, **kwargs)
        self.helper = _helper(
            form=self,
            action=reverse("touchpoints:walkin_customer_create", args=[touchpoint.pk]),
            submit=_("Créer la fiche et y rattacher l'échange"),
        )
        self.helper.layout = Layout(
            Row(
                Column("first_name", css_class="col-md-6"),
                Column("last_name", css_class="col-md-6"),
            ),
            Row(Column("phone", css_class="col-md-6"), Column("email", css_class="col-md-6")),
            "confirm_duplicate",
        )

    @staticmethod
    def initial_for(touchpoint: Touchpoint) -> dict:
        """The contact the person left, as a phone or an e-mail address."""
        left = touchpoint.contact_left
        return {"email": left} if "@" in left else {"phone": left}
