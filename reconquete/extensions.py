"""What reconquest adds to the core's extension points (relation_client.extensions): the
open case as a banner on the customer page and the caller card, the outcome of the
exchange on the touchpoint form for a customer with an open case, and its record."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reconquete.models import ContactOutcome
from reconquete.selectors import open_cases_for
from reconquete.services import case_outcome_record
from reconquete.services.merges import reconquest_merge, reconquest_merge_undo
from relation_client import extensions

CASE = "reconquest_case"

CASE_BANNER = extensions.CustomerPanel(
    name=CASE, load=open_cases_for, template="reconquete/partials/_case_panel.html"
)


def outcome_field(form, *, panels: dict) -> list:
    if panels.get(CASE) is None:  # only for a customer with an open reconquest case
        return []
    form.fields["reconquest_outcome"] = forms.ChoiceField(
        label=_("Reconquête : résultat de l'échange"),
        required=False,
        choices=[("", _("— sans objet —"))] + list(ContactOutcome.choices),
    )
    return ["reconquest_outcome"]


def outcome_after(touchpoint, *, extra: dict) -> None:
    outcome = extra.get("reconquest_outcome")
    if outcome:
        case_outcome_record(touchpoint=touchpoint, outcome=outcome)


def register() -> None:
    extensions.customer_panels.register(CASE_BANNER)
    extensions.touchpoint_form_fields.register(outcome_field, order=20)
    extensions.touchpoint_logged.register(outcome_after)
    # merges: every reconquest row of the absorbed record moves, and moves back on undo
    extensions.customer_merged.register(reconquest_merge)
    extensions.customer_merge_undone.register(reconquest_merge_undo)
