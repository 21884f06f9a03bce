"""What satisfaction adds to the core's extension points (relation_client.extensions):
the agent's estimate and the climate of the exchange on the touchpoint form, their record
and the survey invitation after a touchpoint, and each team's satisfaction next to its
figures on the academy page; the compliments routed to their team, and counted beside the
incivilities on the same page."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from agences.models import Agency
from relation_client import extensions
from relation_client.messaging import outbox
from satisfaction.models import (
    LINE_PATTERN,
    MIN_SAMPLE,
    SurveyAnswer,
    SurveyInvitation,
    line_normalise,
)
from satisfaction.selectors import estimate_kind_for_channel
from satisfaction.selectors.compliments import team_reciprocity
from satisfaction.selectors.teams import agency_satisfaction_figures
from satisfaction.services.compliments import compliment_record
from satisfaction.services.estimates import climate_record, estimate_record
from satisfaction.services.invitations import (
    invitation_after_touchpoint,
    invitation_mail_given_up,
)
from satisfaction.services.merges import satisfaction_merge, satisfaction_merge_undo

CLIMATES = [
    ("", _("— non noté —")),
    (5, _("Très cordial")),
    (4, _("Cordial")),
    (3, _("Neutre")),
    (2, _("Tendu")),
    (1, _("Très tendu")),
]


def feedback_fields(form, *, panels: dict) -> list:
    form.fields["estimate"] = forms.IntegerField(
        label=_("Selon vous, quelle note donnerait le client ?"),
        required=False,
        min_value=0,
        max_value=10,
        help_text=_("Facultatif : sur l'échelle de l'enquête du canal (1 à 5 le plus souvent)."),
    )
    form.fields["climate"] = forms.TypedChoiceField(
        label=_("Climat de l'échange"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=CLIMATES,
    )
    return [extensions.FormRow((("estimate", "col-md-6"), ("climate", "col-md-6")))]


def feedback_after(touchpoint, *, extra: dict) -> None:
    """Reciprocity: the agent's estimate and climate, and the survey invitation."""
    estimate, climate = extra.get("estimate"), extra.get("climate")
    if estimate is not None:
        estimate_record(
            touchpoint=touchpoint,
            score=estimate,
            kind=estimate_kind_for_channel(channel=touchpoint.channel),
        )
    if climate is not None:
        climate_record(touchpoint=touchpoint, rating=climate)
    if touchpoint.customer_id is not None:
        # in the touchpoint's transaction, not in a task queued after it: an invitation
        # decided here is committed with the touchpoint and cannot be lost with Redis
        invitation_after_touchpoint(touchpoint_id=touchpoint.pk)


class LineField(forms.CharField):
    """A line as typed ("ligne 38", "c3"), kept as the network writes it ("38", "C3")."""

    def to_python(self, value):
        return line_normalise(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value and not LINE_PATTERN.match(value):
            raise forms.ValidationError(
                _("Indiquez la ligne comme sur le plan : 38, C3, T1…"), code="invalid_line"
            )


def compliment_fields(form, *, panels: dict) -> list:
    """For a compliment: the agency thanked (by default the customer's, else the agent's)
    or the line whose drivers are thanked."""
    form.fields["compliment_agency"] = forms.ModelChoiceField(
        label=_("Agence remerciée"),
        queryset=Agency.objects.only("name").order_by("name"),
        required=False,
        empty_label=_("— l'agence du client —"),
    )
    form.fields["compliment_line"] = LineField(
        label=_("Ou ligne dont les conducteurs sont remerciés"),
        required=False,
        max_length=20,
        help_text=_("Par exemple 38 ou C3 : le remerciement va au responsable de la ligne."),
    )
    return [
        extensions.FormRow(
            (("compliment_agency", "col-md-6"), ("compliment_line", "col-md-6")),
            # the legend at the size of the fields' labels, not a page heading's
            legend=format_html(
                '<span class="fs-6 fw-semibold">{}</span>', _("Pour un remerciement")
            ),
        )
    ]


def compliment_after(touchpoint, *, extra: dict) -> None:
    """A compliment goes to the team it is meant for (satisfaction.services.compliments)."""
    compliment_record(
        touchpoint=touchpoint,
        agency=extra.get("compliment_agency"),
        line=extra.get("compliment_line") or "",
    )


def team_compliments(*, agencies, now) -> dict:
    figures = team_reciprocity(agencies=agencies, now=now)
    return {"by_agency": figures.by_agency, "months": figures.months}


TEAM_COMPLIMENTS = extensions.TeamFigures(
    name="compliments",
    load=team_compliments,
    template="satisfaction/partials/_team_compliments.html",
)


def team_satisfaction(*, agencies, now) -> dict:
    figures = agency_satisfaction_figures(agencies=agencies, now=now)
    return {"by_agency": figures.by_agency, "figures": figures, "min_sample": MIN_SAMPLE}


TEAM_SATISFACTION = extensions.TeamFigures(
    name="satisfaction",
    load=team_satisfaction,
    template="satisfaction/partials/_team_satisfaction.html",
)


# retention: an answer to a survey since the cutoff is a contact that keeps the customer
ANSWER_ACTIVITY = extensions.CustomerActivity(
    name="survey_answers",
    label=_("aucune réponse à une enquête depuis le %(since)s"),
    sql=f"SELECT i.customer_id FROM {SurveyAnswer._meta.db_table} AS a "
    f"JOIN {SurveyInvitation._meta.db_table} AS i ON i.id = a.invitation_id "
    "WHERE a.answered_at >= %(since)s",
)


def register() -> None:
    extensions.customer_activity.register(ANSWER_ACTIVITY)
    # before the reconquest outcome: the form reads estimate, climate, then the case
    extensions.touchpoint_form_fields.register(feedback_fields, order=10)
    extensions.touchpoint_form_fields.register(compliment_fields, order=30)
    extensions.touchpoint_logged.register(feedback_after)
    extensions.touchpoint_logged.register(compliment_after)
    extensions.team_figures.register(TEAM_SATISFACTION)
    # compliments beside incivilities, per team and month
    extensions.team_figures.register(TEAM_COMPLIMENTS)
    # merges: every satisfaction row of the absorbed record moves, and moves back on undo
    extensions.customer_merged.register(satisfaction_merge)
    extensions.customer_merge_undone.register(satisfaction_merge_undo)
    # an invitation whose mail the outbox gave up is unsent again, its link dropped
    if invitation_mail_given_up not in outbox.FAILURE_RECEIVERS:
        outbox.FAILURE_RECEIVERS.append(invitation_mail_given_up)
