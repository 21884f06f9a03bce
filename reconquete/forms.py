"""Input of the reconquest pages; the crispy layout lives with each form."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agences.models import Agency, Agent
from agences.permissions import VIEW_NETWORK_FIGURES
from reconquete.models import (
    Campaign,
    CaseReason,
    ContactOutcome,
    OfferType,
    ReconquestSettings,
)
from relation_client.customers.models import ConsentChannel, Segment


class FilterBar:
    """The GET filter bar of a satellite page: the fields present, side by side, « Afficher »
    (templates/reconquete/partials/_filter_bar.html)."""

    filter_action = ""
    filter_names: tuple[str, ...] = ()

    @property
    def filter_url(self) -> str:
        return reverse(self.filter_action)

    def filter_fields(self) -> list:
        return [self[name] for name in self.filter_names if name in self.fields]


class MonthField(forms.DateField):
    """A month as <input type="month"> (YYYY-MM), cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DashboardFilterForm(FilterBar, forms.Form):
    """Period, scope (network or agency: the agency list only for the network director),
    then a segment or a campaign."""

    filter_action = "reconquete:dashboard"
    filter_names = ("mois", "agence", "segment", "campagne")

    mois = MonthField(label=_("Mois"), required=False)
    agence = forms.ModelChoiceField(
        label=_("Agence"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label=_("Tout le réseau"),
    )
    segment = forms.ModelChoiceField(
        label=_("Segment"),
        queryset=Segment.objects.order_by("priority", "name"),
        required=False,
        empty_label=_("Tous les segments"),
    )
    campagne = forms.ModelChoiceField(
        label=_("Campagne"),
        queryset=Campaign.objects.exclude(status="draft").order_by("-starts_on", "-id"),
        required=False,
        empty_label=_("Toutes les campagnes"),
    )

    def __init__(self, *args, network: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not network:
            del self.fields["agence"]

    def clean(self):
        data = super().clean()
        if data.get("segment") and data.get("campagne"):
            raise forms.ValidationError(
                _("Choisissez un segment ou une campagne : les deux ne se croisent pas.")
            )
        return data


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Nom de la campagne"), max_length=120)
    offer_type = forms.ChoiceField(label=_("Type d'offre"), choices=OfferType.choices)
    offer_text = forms.CharField(
        label=_("Offre"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que l'agent propose, tel qu'il le dira au client."),
    )
    offer_text_en = forms.CharField(
        label=_("Offre, en anglais (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Les e-mails et SMS partent dans la langue préférée du client : sans texte "
            "anglais, les clients anglophones les reçoivent en français."
        ),
    )
    channels = forms.MultipleChoiceField(
        label=_("Canaux"),
        choices=ConsentChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Seuls les clients qui l'ont accepté sur un de ces canaux seront sollicités."),
    )
    starts_on = forms.DateField(label=_("Début"), widget=DateInput())
    ends_on = forms.DateField(label=_("Fin"), widget=DateInput())
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agences"),
        queryset=Agency.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    segments = forms.ModelMultipleChoiceField(
        label=_("Segments ciblés"),
        queryset=Segment.objects.order_by("priority", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Aucun coché : tous les segments."),
    )
    reasons = forms.MultipleChoiceField(
        label=_("Motifs de perte"),
        choices=CaseReason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Aucun coché : tous les motifs."),
    )
    lost_from = forms.DateField(label=_("Perdus depuis le"), widget=DateInput(), required=False)
    lost_to = forms.DateField(label=_("Perdus jusqu'au"), widget=DateInput(), required=False)
    quiet_days = forms.IntegerField(
        label=_("Sans contact depuis (jours)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Exclut les clients contactés plus récemment, quel que soit le motif."),
    )

    def __init__(self, *args, agent: Agent, **kwargs):
        super().__init__(*args, **kwargs)
        if not agent.user.has_perm(VIEW_NETWORK_FIGURES):
            self.fields["agencies"].queryset = Agency.objects.filter(pk=agent.agency_id)
            self.fields["agencies"].initial = [agent.agency_id]
        today = datetime.date.today()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + datetime.timedelta(days=30)
        self.fields["channels"].initial = [ConsentChannel.PHONE]
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_action = reverse("reconquete:campaign_create")
        self.helper.layout = Layout(
            Fieldset(
                _("La campagne"),
                "name",
                Div(
                    Div("starts_on", css_class="col-sm-6"),
                    Div("ends_on", css_class="col-sm-6"),
                    css_class="row",
                ),
            ),
            Fieldset(_("L'offre"), "offer_type", "offer_text", "offer_text_en", "channels"),
            Fieldset(
                _("Les clients ciblés"),
                "agencies",
                "segments",
                "reasons",
                Div(
                    Div("lost_from", css_class="col-sm-4"),
                    Div("lost_to", css_class="col-sm-4"),
                    Div("quiet_days", css_class="col-sm-4"),
                    css_class="row",
                ),
            ),
        )
        self.helper.add_input(Submit("enregistrer", _("Enregistrer le brouillon")))


class LaunchForm(forms.Form):
    """The launch button's option: by default a customer is in one campaign at a time."""

    include_already_targeted = forms.BooleanField(
        label=_("Cibler aussi les clients déjà en campagne"),
        required=False,
        help_text=_("Sinon, les clients d'une autre campagne en cours sont laissés de côté."),
    )


class OutcomeForm(forms.Form):
    """The second click of the call list: an outcome button, with the channel used and an
    optional note."""

    outcome = forms.ChoiceField(label=_("Résultat"), choices=ContactOutcome.choices)
    channel = forms.ChoiceField(label=_("Canal utilisé"), choices=ConsentChannel.choices)
    note = forms.CharField(label=_("Note (facultatif)"), max_length=500, required=False)

    def __init__(self, *args, channels: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ConsentChannel.choices)
        self.fields["channel"].choices = [(c, labels[c]) for c in channels]


class SettingsForm(forms.ModelForm):
    baseline_start = MonthField(label=_("Période de référence : premier mois"))
    baseline_end = MonthField(label=_("Période de référence : dernier mois"))

    class Meta:
        model = ReconquestSettings
        fields = [
            "baseline_start",
            "baseline_end",
            "grace_days",
            "drop_months",
            "drop_percent",
            "inactive_months",
            "attribution_days",
        ]

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_action = action
        self.helper.layout = Layout(
            Fieldset(
                _("Fréquentation de référence"),
                Div(
                    Div("baseline_start", css_class="col-sm-6"),
                    Div("baseline_end", css_class="col-sm-6"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("Règles de perte"),
                "grace_days",
                Div(
                    Div("drop_months", css_class="col-sm-4"),
                    Div("drop_percent", css_class="col-sm-4"),
                    Div("inactive_months", css_class="col-sm-4"),
                    css_class="row",
                ),
            ),
            Fieldset(_("Attribution des retours"), "attribution_days"),
        )
        self.helper.add_input(Submit("enregistrer", _("Enregistrer")))

    def clean(self):
        data = super().clean()
        start, end = data.get("baseline_start"), data.get("baseline_end")
        if start and end and end < start:
            self.add_error("baseline_end", _("Le dernier mois précède le premier."))
        return data


class DisruptionEffectForm(FilterBar, forms.Form):
    """The months of the disruptions compared (from, to) and, for the network director,
    the agency of the riders."""

    filter_action = "reconquete:disruption_effect"
    filter_names = ("du", "au", "agence")

    du = MonthField(label=_("Du mois"), required=False)
    au = MonthField(label=_("Au mois"), required=False)
    agence = forms.ModelChoiceField(
        label=_("Agence"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label=_("Tout le réseau"),
    )

    def __init__(self, *args, network: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not network:
            del self.fields["agence"]

    def clean(self):
        data = super().clean()
        first, last = data.get("du"), data.get("au")
        if first and last and first > last:
            raise forms.ValidationError(_("Le premier mois doit précéder le dernier."))
        if first and last and (last.year - first.year) * 12 + last.month - first.month >= 24:
            raise forms.ValidationError(_("Choisissez au plus 24 mois."))
        return data
