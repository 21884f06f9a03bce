"""Input of the answer by e-mail and of the canned answers' pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from relation_client.customers.models import Customer
from relation_client.touchpoints.models import Reason

LANGUAGES = Customer._meta.get_field("preferred_language").choices


def with_errors_marked(form: forms.Form, *, described: dict[str, list[str]] | None = None):
    """The form ready to render: a field in error marked invalid and described by its
    message (the templates write it under the field, id "<field id>-erreur"), after
    whatever else describes it. Called just before rendering, so that the errors a
    service added (DomainError) are marked too."""
    described = described or {}
    for name, field in form.fields.items():
        ids = list(described.get(name, []))
        if form.is_bound and name in form.errors:
            if "is-invalid" not in field.widget.attrs.get("class", ""):
                field.widget.attrs["class"] = field.widget.attrs.get("class", "") + " is-invalid"
            field.widget.attrs["aria-invalid"] = "true"
            ids.insert(0, f"{form[name].auto_id}-erreur")
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)
    return form


class AnswerMailForm(forms.Form):
    """To whom (one of the customer's addresses), the subject, the text."""

    prefix = "mail"
    to_address = forms.ChoiceField(label=_("À"))
    subject = forms.CharField(label=_("Objet"), max_length=250)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": _("Écrivez la réponse avant de l'envoyer.")},
    )

    def __init__(self, *args, addresses: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_address"].choices = [(address, address) for address in addresses]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "to_address" else "form-control"


class AnswerTemplateForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=120)
    reason = forms.ModelChoiceField(
        label=_("Motif"),
        queryset=Reason.objects.filter(active=True),
        required=False,
        empty_label=_("Tous les motifs"),
    )
    language = forms.ChoiceField(label=_("Langue"), choices=LANGUAGES, initial="fr")
    subject = forms.CharField(
        label=_("Objet (facultatif)"),
        max_length=200,
        required=False,
        help_text=_("Remplace « Re: … » quand un agent choisit cette réponse."),
    )
    body = forms.CharField(
        label=_("Texte"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Le corps de la réponse : la formule d'appel (« Bonjour Madame Maréchal, ») et "
            "la signature de l'agent sont ajoutées autour."
        ),
    )
    active = forms.BooleanField(label=_("Proposée aux agents"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name == "active":
                field.widget.attrs["class"] = "form-check-input"
            elif name in ("reason", "language"):
                field.widget.attrs["class"] = "form-select"
            else:
                field.widget.attrs["class"] = "form-control"


def template_form_marked(form: AnswerTemplateForm) -> AnswerTemplateForm:
    """with_errors_marked, the help and the list of variables describing their fields."""
    described = {
        name: [f"{form[name].auto_id}-aide"]
        for name, field in form.fields.items()
        if field.help_text
    }
    described["body"].append(f"{form['body'].auto_id}-variables")
    return with_errors_marked(form, described=described)


class TemplateFilterForm(forms.Form):
    motif = forms.ModelChoiceField(
        label=_("Motif"),
        queryset=Reason.objects.all(),
        required=False,
        empty_label=_("Tous"),
    )
    langue = forms.ChoiceField(
        label=_("Langue"), choices=[("", _("Toutes")), *LANGUAGES], required=False
    )
    retirees = forms.BooleanField(label=_("Afficher les réponses retirées"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motif"].widget.attrs["class"] = "form-select"
        self.fields["langue"].widget.attrs["class"] = "form-select"
        self.fields["retirees"].widget.attrs["class"] = "form-check-input"
