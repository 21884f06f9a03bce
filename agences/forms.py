"""Input of the partner, partner-space and academy pages; crispy layouts live here."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agences.models import AttendanceStatus, Skill, SkillLevel


def _helper(*, action: str, submit: str, method: str = "post", css_id: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.form_action = action
    helper.add_input(Submit("submit", submit, css_id=css_id))
    return helper


class MonthField(forms.DateField):
    """A Paris calendar month typed as YYYY-MM (the browser's month picker)."""

    widget = forms.DateInput(format="%Y-%m", attrs={"type": "month"})

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m", "%Y-%m-%d"])
        super().__init__(**kwargs)

    def clean(self, value) -> datetime.date | None:
        day = super().clean(value)
        return day.replace(day=1) if day else day


class MonthForm(forms.Form):
    mois = MonthField(label=_("Mois"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            action=reverse("agences:partner_list"),
            submit=_("Afficher"),
            method="get",
            css_id="mois-submit",
        )
        self.helper.form_class = "d-flex align-items-end gap-3"
        self.helper.layout = Layout("mois")


class RecomputeForm(forms.Form):
    mois = MonthField(widget=forms.HiddenInput)
    partenaire = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PartnerAnswerForm(forms.Form):
    note = forms.CharField(
        label=_("Réponse apportée au client"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Rédigez la réponse apportée.")},
        help_text=_("Elle rejoint l'historique du client, visible de l'agence."),
    )

    def __init__(self, *args, pk: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            action=reverse("agences:partner_request_answer", args=[pk]),
            submit=_("Envoyer la réponse"),
            css_id="reponse-submit",
        )


class SkillSearchForm(forms.Form):
    competence = forms.ModelChoiceField(
        label=_("Compétence recherchée"),
        queryset=Skill.objects.order_by("category", "label"),
        to_field_name="code",
        empty_label=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            action=reverse("agences:skill_finder"),
            submit=_("Trouver"),
            method="get",
            css_id="competence-submit",
        )
        self.helper.form_class = "d-flex align-items-end gap-3 flex-wrap"
        self.helper.layout = Layout("competence")


class SkillAssessForm(forms.Form):
    skill = forms.ModelChoiceField(
        label=_("Compétence"), queryset=Skill.objects.order_by("category", "label")
    )
    level = forms.TypedChoiceField(label=_("Niveau"), choices=SkillLevel.choices, coerce=int)

    def __init__(self, *args, agent_pk: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            action=reverse("agences:skill_assess", args=[agent_pk]),
            submit=_("Enregistrer le niveau"),
            css_id="niveau-submit",
        )


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Présence"),
        choices=[
            (AttendanceStatus.ATTENDED, AttendanceStatus.ATTENDED.label),
            (AttendanceStatus.ABSENT, AttendanceStatus.ABSENT.label),
        ],
    )


class InvitationReplyForm(forms.Form):
    """A partner's person answers a training invitation: coming or not."""

    reponse = forms.ChoiceField(choices=[("oui", _("Je viendrai")), ("non", _("Je suis empêché"))])


class OneTimeCodeForm(forms.Form):
    """The six digits of the authenticator application."""

    code = forms.CharField(
        label=_("Code à six chiffres"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError(_("Le code ne contient que des chiffres."))
        return code
