"""Input of the network pages: a disruption entered by staff."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from relation_client.network.models import DisruptionCause, DisruptionEffect, Line, Stop


class LineChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, line) -> str:
        return f"{line.short_name} — {line.long_name}" if line.long_name else line.short_name


def _moment(label, *, required: bool) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
    )


class DisruptionForm(forms.Form):
    lines = LineChoice(
        label=_("Lignes touchées"),
        queryset=Line.objects.order_by("short_name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une ligne touchée.")},
    )
    stops = forms.ModelMultipleChoiceField(
        label=_("Arrêts touchés (facultatif)"),
        queryset=Stop.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Ctrl ou Maj pour en choisir plusieurs."),
    )
    starts_at = _moment(_("Début"), required=True)
    ends_at = _moment(_("Fin (vide : en cours, fin inconnue)"), required=False)
    cause = forms.ChoiceField(label=_("Cause"), choices=DisruptionCause.choices)
    effect = forms.ChoiceField(label=_("Effet"), choices=DisruptionEffect.choices)
    header = forms.CharField(
        label=_("Titre"),
        max_length=200,
        help_text=_(
            "Ce que les agents liront d'abord : « Ligne C3 déviée entre Cordeliers et Part-Dieu »."
        ),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    alternative_route = forms.CharField(
        label=_("Itinéraire de substitution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Le texte envoyé aux voyageurs prévenus : comment faire leur trajet."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", _("Enregistrer la perturbation")))

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("La fin doit venir après le début."))
        return data


class DeclaredLinesForm(forms.Form):
    lines = LineChoice(
        label=_("Lignes déclarées à l'abonnement"),
        queryset=Line.objects.order_by("short_name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Les lignes que le client dit emprunter : il sera prévenu de leurs perturbations s'il y consent."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", _("Enregistrer les lignes")))
