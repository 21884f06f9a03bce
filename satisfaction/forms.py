"""Input of the satisfaction pages; the crispy layout lives with each form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agences.models import Agency, Agent
from relation_client.customers.models import Customer
from relation_client.touchpoints.models import Channel
from satisfaction.models import (
    PULSE_SCALE,
    SERVICE_SCALE,
    IncivilityDirection,
    IncivilityKind,
    IncivilityPlace,
    PeriodKind,
    Severity,
    SurveyInvitation,
)


def _helper(*, action: str, submit: str, method: str = "post") -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.form_action = action
    helper.add_input(Submit("submit", submit))
    return helper


# --- The customer's survey ----------------------------------------------------------------

ELIDING = set("aeiouyàâäéèêëîïôöùûüœæ")


class SurveyAnswerForm(forms.Form):
    """One question on the survey's scale, an optional comment and, when the survey asks,
    the agent's welcome. Rendered by hand: a row of big buttons works on a phone."""

    score = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Un commentaire ? (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    complaint = forms.BooleanField(
        label=_("Ma remarque est une réclamation : je souhaite être recontacté·e."),
        required=False,
    )
    service_rating = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, invitation: SurveyInvitation, question: str, **kwargs):
        super().__init__(*args, **kwargs)
        low, high = invitation.survey.scale
        self.fields["score"].label = question
        self.fields["score"].choices = [(value, str(value)) for value in range(low, high + 1)]
        self.fields["score"].error_messages["required"] = _("Choisissez une note.")
        if not invitation.survey.allows_comment:
            del self.fields["comment"]
            del self.fields["complaint"]
        if invitation.survey.asks_service_rating and invitation.agent_id:
            name = invitation.agent.first_name
            # French elides "de" before a vowel: de Camille, d'Aïcha
            label = (
                _("Et l'accueil d'%(name)s, comment l'évaluez-vous ? (facultatif)")
                if name[:1].lower() in ELIDING
                else _("Et l'accueil de %(name)s, comment l'évaluez-vous ? (facultatif)")
            )
            self.fields["service_rating"].label = label % {"name": name}
            self.fields["service_rating"].choices = [
                (value, str(value)) for value in range(SERVICE_SCALE[0], SERVICE_SCALE[1] + 1)
            ]
        else:
            del self.fields["service_rating"]

    def answer(self) -> dict:
        data = self.cleaned_data
        return {
            "score": data["score"],
            "comment": data.get("comment", ""),
            "complaint": data.get("complaint", False),
            "service_rating": data.get("service_rating"),
        }


# --- Dashboard -----------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    """The dashboard's filters (GET). An agency's staff have no agency to choose."""

    periode = forms.ChoiceField(
        label=_("Période"), choices=PeriodKind.choices, required=False, initial=PeriodKind.YEAR
    )
    debut = forms.DateField(label=_("Début"), required=False, input_formats=["%Y-%m-%d"])
    agence = forms.ModelChoiceField(
        label=_("Agence"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label=_("Tout le réseau"),
    )
    canal = forms.ChoiceField(
        label=_("Canal"), choices=[("", _("Tous les canaux")), *Channel.choices], required=False
    )

    def __init__(self, *args, network: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not network:
            del self.fields["agence"]
        else:
            # the options once, as a list: the template loops over them (no COUNT, no cursor)
            field = self.fields["agence"]
            field.choices = list(iter(field.choices))

    def values(self) -> dict:
        """The valid filters; an invalid one falls back to its default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "period_kind": data.get("periode") or PeriodKind.YEAR,
            "period": data.get("debut"),
            "agency": data.get("agence"),
            "channel": data.get("canal") or "",
        }


# --- Staff: incivility, pulse, barometer ----------------------------------------------------


class IncivilityForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("De quoi s'agit-il ?"),
        choices=IncivilityDirection.choices,
        widget=forms.RadioSelect,
        initial=IncivilityDirection.AGAINST_STAFF,
    )
    agent = forms.ModelChoiceField(
        label=_("Agent concerné"),
        queryset=Agent.objects.none(),
        empty_label=None,
        help_text=_("Vous-même, ou le collègue qui a subi les faits ou dont le client se plaint."),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=IncivilityKind.choices)
    severity = forms.TypedChoiceField(
        label=_("Gravité"), choices=Severity.choices, coerce=int, widget=forms.RadioSelect
    )
    occurred_at = forms.DateTimeField(
        label=_("Date et heure des faits"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    place = forms.ChoiceField(label=_("Lieu"), choices=IncivilityPlace.choices)
    line_or_station = forms.CharField(
        label=_("Ligne, station ou arrêt"), required=False, max_length=120
    )
    witnesses = forms.CharField(
        label=_("Témoins"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Noms ou fonctions des personnes présentes, si vous les connaissez."),
    )
    description = forms.CharField(
        label=_("Ce qui s'est passé"), widget=forms.Textarea(attrs={"rows": 4})
    )
    customer = forms.ModelChoiceField(
        queryset=Customer.objects.all(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, agent: Agent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = Agent.objects.filter(agency_id=agent.agency_id).order_by(
            "display_name"
        )
        self.fields["agent"].initial = agent.pk
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.helper = _helper(
            action=reverse("satisfaction:incivility_create"), submit=_("Enregistrer le signalement")
        )
        self.helper.layout = Layout(
            "direction",
            "agent",
            "kind",
            "severity",
            "occurred_at",
            "place",
            "line_or_station",
            "witnesses",
            "description",
            "customer",
        )


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label=pgettext_lazy("suivi", "Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _agreement(label):
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(value, str(value)) for value in range(PULSE_SCALE[0], PULSE_SCALE[1] + 1)],
        help_text=_("1 : pas du tout d'accord · 5 : tout à fait d'accord"),
    )


class PulseForm(forms.Form):
    engagement = _agreement(_("Je me sens engagé·e dans mon travail."))
    workload = _agreement(_("Ma charge de travail de ce mois a été supportable."))
    support = _agreement(_("Je me suis senti·e soutenu·e par mon encadrement et mes collègues."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action=reverse("satisfaction:pulse"), submit=_("Envoyer anonymement"))


class BarometerForm(forms.Form):
    satisfied_share = forms.IntegerField(
        label=_("Sur 100 clients de votre agence, combien sont satisfaits selon vous ?"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action=reverse("satisfaction:barometer"), submit=_("Enregistrer"))
