"""Input of the cycle pages: one form per kind of record; the crispy layout lives here."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agences.models import Partner, PartnerCommitment
from relation_client.cycle import indicators
from relation_client.cycle.models import (
    Control,
    FindingSource,
    PrivilegeKind,
    Round,
    Stage,
)


def _helper(*, form: forms.Form, action: str, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.form_action = action
    # one page holds several of these forms: each button needs its own id
    helper.add_input(Submit("submit", submit, css_id=f"{form.prefix}-submit"))
    return helper


def _decimal(label, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    # French decimals take a comma; a dot is accepted too
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        max_digits=10,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def _date(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class RecordForm(forms.Form):
    """A form adding one record to a round; `slug` names it in the URL."""

    slug = ""
    stage = ""  # records of this stage may be added from it on
    submit_label = _("Enregistrer")

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        self.helper = _helper(
            form=self,
            action=reverse("cycle:record_add", args=[round.pk, self.slug]),
            submit=self.submit_label,
        )

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class FindingForm(RecordForm):
    slug = prefix = "constat"
    stage = Stage.IDENTIFY
    submit_label = _("Ajouter le constat")
    finding = forms.CharField(label=_("Attente ou besoin constaté"), max_length=300)
    source = forms.ChoiceField(label=_("Source"), choices=FindingSource.choices)
    detail = forms.CharField(
        label=_("Précisions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partenaires qui contribuent"),
        queryset=Partner.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class _OngoingForm(RecordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("La fin ne peut précéder le début."))
        return data


class AdaptedServiceForm(_OngoingForm):
    slug = prefix = "service"
    stage = Stage.ADAPT
    submit_label = _("Ajouter le service adapté")
    what = forms.CharField(label=_("Ce qui change"), max_length=300)
    for_whom = forms.CharField(label=_("Pour qui"), max_length=200)
    starts_on = _date(_("À partir du"))
    ends_on = _date(_("Jusqu'au"), required=False, help_text=_("Vide : sans date de fin."))


class PrivilegeActionForm(_OngoingForm):
    slug = prefix = "action"
    stage = Stage.PRIVILEGE
    submit_label = _("Ajouter l'action")
    kind = forms.ChoiceField(label=_("Nature"), choices=PrivilegeKind.choices)
    description = forms.CharField(label=_("Action"), max_length=300)
    starts_on = _date(_("À partir du"))
    ends_on = _date(_("Jusqu'au"), required=False, help_text=_("Vide : sans date de fin."))


class WrittenCommitmentForm(_OngoingForm):
    slug = prefix = "engagement"
    stage = Stage.PRIVILEGE
    submit_label = _("Ajouter l'engagement écrit")
    title = forms.CharField(label=_("Engagement"), max_length=200)
    text = forms.CharField(
        label=_("Texte de l'engagement"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    partner = forms.ModelChoiceField(
        label=_("Avec le partenaire"),
        queryset=Partner.objects.order_by("name"),
        required=False,
        empty_label=_("— aucun : envers les clients du segment —"),
    )
    partner_commitment = forms.ModelChoiceField(
        label=_("Engagement de la convention"),
        queryset=PartnerCommitment.objects.select_related("partner").order_by(
            "partner__name", "title"
        ),
        required=False,
        empty_label=_("— aucun —"),
    )
    starts_on = _date(_("À partir du"))
    ends_on = _date(_("Jusqu'au"), required=False, help_text=_("Vide : sans date de fin."))


DIRECTIONS = [
    ("", _("Selon l'indicateur")),
    ("higher", _("Plus haut, c'est mieux")),
    ("lower", _("Plus bas, c'est mieux")),
]


class ControlForm(RecordForm):
    slug = prefix = "controle"
    stage = Stage.CONTROL
    submit_label = _("Ajouter le contrôle")
    indicator = forms.ChoiceField(label=_("Indicateur"))
    label = forms.CharField(
        label=_("Ce qui est mesuré"),
        max_length=200,
        required=False,
        help_text=_("Obligatoire pour un indicateur saisi ; sinon, le nom de l'indicateur."),
    )
    target = _decimal(_("Cible"))
    direction = forms.ChoiceField(label=_("Sens"), choices=DIRECTIONS, required=False)
    action = forms.ModelChoiceField(
        label=_("Action contrôlée"), queryset=None, required=False, empty_label=_("— aucune —")
    )
    is_key = forms.BooleanField(
        label=_("Contrôle clé (affiché sur le tableau de bord)"), required=False
    )
    measured_value = _decimal(
        _("Valeur mesurée"),
        required=False,
        help_text=_("Pour un indicateur saisi seulement ; les autres se mesurent ensuite."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicators.choices()
        self.fields["action"].queryset = self.round.privilege_actions.order_by("starts_on", "id")

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        direction = data.pop("direction")
        data["higher_is_better"] = {"higher": True, "lower": False}.get(direction)
        return data


class DecisionForm(RecordForm):
    slug = prefix = "decision"
    stage = Stage.EVOLVE
    submit_label = _("Ajouter la décision")
    decision = forms.CharField(label=_("Décision"), max_length=300)
    rationale = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 3}))
    controls = forms.ModelMultipleChoiceField(
        label=_("Résultats de contrôle sur lesquels elle s'appuie"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un résultat de contrôle.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["controls"].queryset = self.round.controls.filter(
            measured_value__isnull=False
        ).order_by("-is_key", "recorded_at", "id")
        self.fields["controls"].label_from_instance = self._label

    @staticmethod
    def _label(control: Control) -> str:
        return f"{control.label} : {control.measured_value} {control.unit} (cible {control.target})"


RECORD_FORMS: dict[str, type[RecordForm]] = {
    form.slug: form
    for form in [
        FindingForm,
        AdaptedServiceForm,
        PrivilegeActionForm,
        WrittenCommitmentForm,
        ControlForm,
        DecisionForm,
    ]
}


class MeasureForm(forms.Form):
    """Measure one control: the value is typed for the manual indicator; a computed one
    has no field, only the button."""

    value = _decimal(_("Valeur mesurée"))

    def __init__(self, *args, control: Control, **kwargs):
        kwargs.setdefault("prefix", f"mesure-{control.pk}")
        super().__init__(*args, **kwargs)
        found = indicators.get(control.indicator)
        self.manual = found is not None and found.is_manual
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_action = reverse("cycle:control_measure", args=[control.pk])
        self.helper.form_class = "d-flex align-items-end gap-2 flex-wrap"
        if self.manual:
            self.fields["value"].label = _("Valeur mesurée pour « %(label)s »") % {
                "label": control.label
            }
            submit = _("Enregistrer la mesure")
        else:
            del self.fields["value"]
            submit = _("Mesurer maintenant")
        self.helper.add_input(Submit("submit", submit, css_id=f"{self.prefix}-submit"))

    def service_arguments(self) -> dict:
        return {"value": self.cleaned_data.get("value")}


class AdvanceForm(forms.Form):
    to_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
