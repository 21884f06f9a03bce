"""The contact form: every field's label, hint and error tied together for assistive
technologies (aria-describedby), limits checked here before anything is stored."""

from django import forms
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from relation_client.customers.normalize import phone_normalize
from relation_client.messaging.contact.services import (
    BODY_MAX,
    EMAIL_MAX,
    NAME_MAX,
    PHONE_MAX,
    STOP_MAX,
    contact_lines,
    contact_reasons,
)
from socle.errors import DomainError

# the honeypot: hidden from people (and from assistive technologies and the keyboard), left
# empty by them; robots filling every field fill it
HONEYPOT = "website"
CONTACT_REQUIRED = "contact_required"


class ReasonField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        # the reference list's labels are in the catalogue (services.REASON_LABELS)
        return gettext(obj.label)


class LineField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.short_name} — {obj.long_name}" if obj.long_name else obj.short_name


def _grouped(number: int) -> str:
    return formats.number_format(number, force_grouping=True)


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Nom et prénom"),
        max_length=NAME_MAX,
        error_messages={"required": _("Indiquez votre nom.")},
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=EMAIL_MAX,
        required=False,
        help_text=_("Pour recevoir l'accusé de réception et notre réponse."),
        error_messages={
            "invalid": _("Indiquez une adresse e-mail complète, par exemple nom@exemple.fr.")
        },
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=PHONE_MAX,
        required=False,
        help_text=_("Par exemple 06 12 34 56 78."),
    )
    reason = ReasonField(
        label=_("Objet de votre message"),
        queryset=contact_reasons(),
        empty_label=_("Choisissez…"),
        error_messages={
            "required": _("Choisissez l'objet de votre message."),
            "invalid_choice": _("Choisissez l'objet de votre message dans la liste."),
        },
    )
    line = LineField(
        label=_("Ligne concernée"),
        queryset=contact_lines(),
        required=False,
        empty_label=_("— aucune —"),
        error_messages={"invalid_choice": _("Choisissez la ligne dans la liste.")},
    )
    stop = forms.CharField(
        label=_("Arrêt"),
        max_length=STOP_MAX,
        required=False,
        help_text=_("Par exemple Bellecour."),
    )
    body = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Écrivez votre message.")},
    )
    # no maxlength on the text area: a browser would cut a pasted text without a word; the
    # limit is said beside it and checked here
    website = forms.CharField(label=_("Ne remplissez pas ce champ"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _(
            "%(limit)s caractères au plus. N'y indiquez ni mot de passe ni coordonnées bancaires."
        ) % {"limit": _grouped(BODY_MAX)}
        widgets = {name: field.widget for name, field in self.fields.items()}
        widgets["name"].attrs.update(autocomplete="name")
        widgets["email"].attrs.update(autocomplete="email", spellcheck="false")
        widgets["phone"].input_type = "tel"
        widgets["phone"].attrs.update(autocomplete="tel", inputmode="tel")
        widgets["stop"].attrs.update(autocomplete="off")
        widgets[HONEYPOT].attrs.update(autocomplete="off", tabindex="-1")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().casefold()

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        try:
            return phone_normalize(raw, field="phone")
        except DomainError as error:
            raise forms.ValidationError(
                _(
                    "« %(value)s » n'est pas un numéro de téléphone valide (par exemple "
                    "06 12 34 56 78)."
                ),
                code=error.code,
                params={"value": raw},
            ) from None

    def clean_body(self) -> str:
        # a browser sends a line break as CR LF: one character for the person who typed it
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if len(body) > BODY_MAX:
            raise forms.ValidationError(
                _(
                    "Votre message compte %(count)s caractères, pour %(limit)s au plus : "
                    "raccourcissez-le. Rien n'a été envoyé."
                ),
                code="too_long",
                params={"count": _grouped(len(body)), "limit": _grouped(BODY_MAX)},
            )
        return body

    def clean(self):
        data = super().clean()
        if (
            not data.get("email")
            and not data.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            self.add_error(
                "email",
                forms.ValidationError(
                    _(
                        "Indiquez une adresse e-mail ou un numéro de téléphone pour que nous "
                        "puissions vous répondre."
                    ),
                    code=CONTACT_REQUIRED,
                ),
            )
        return data

    def error_id(self, name: str) -> str:
        return f"{self[name].auto_id}-erreur"

    def hint_id(self, name: str) -> str:
        return f"{self[name].auto_id}-aide"

    def accessible(self) -> "ContactForm":
        """Bootstrap classes, and each field described by its hint and its error, once the
        errors are known (call after is_valid)."""
        for name, field in self.fields.items():
            if name == HONEYPOT:
                continue
            attrs = field.widget.attrs
            invalid = name in self.errors
            if name == "phone" and self.has_error("email", CONTACT_REQUIRED):
                invalid = True
            base = "form-select" if name in ("reason", "line") else "form-control"
            attrs["class"] = f"{base} is-invalid" if invalid else base
            described = []
            if field.help_text:
                described.append(self.hint_id(name))
            if name in self.errors:
                described.append(self.error_id(name))
            elif name == "phone" and invalid:
                described.append(self.error_id("email"))  # "an e-mail or a phone"
            if described:
                attrs["aria-describedby"] = " ".join(described)
            else:
                attrs.pop("aria-describedby", None)
            if invalid:
                attrs["aria-invalid"] = "true"
            else:
                attrs.pop("aria-invalid", None)
        return self
