"""What reconquest adds to the core's extension points (relation_client.extensions): the
open case as a banner on the customer page and the caller card, the subscriptions and a
year of ridership as a panel there too, the outcome of the exchange on the touchpoint
form for a customer with an open case, and its record."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reconquete.models import ContactOutcome, RidershipMonth, Subscription
from reconquete.selectors import open_cases_for, riding_for
from reconquete.services import case_outcome_record
from reconquete.services.merges import reconquest_merge, reconquest_merge_undo
from relation_client import extensions

CASE = "reconquest_case"
RIDING = "subscriptions_ridership"

CASE_BANNER = extensions.CustomerPanel(
    name=CASE, load=open_cases_for, template="reconquete/partials/_case_panel.html"
)
# "Abonnements et fréquentation": what the customer rides, and whether they drift away
RIDING_PANEL = extensions.CustomerPanel(
    name=RIDING, load=riding_for, template="reconquete/partials/_riding_panel.html"
)


def outcome_field(form, *, panels: dict) -> list:
    if panels.get(CASE) is None:  # only for a customer with an open reconquest case
        return []
    form.fields["reconquest_outcome"] = forms.ChoiceField(
        label=_("Reconquête : résultat de l'échange"),
        required=False,
        choices=[("", _("— sans objet —"))] + list(ContactOutcome.choices),
    )
    return [extensions.FormRow((("reconquest_outcome", "col-12"),))]


def outcome_after(touchpoint, *, extra: dict) -> None:
    outcome = extra.get("reconquest_outcome")
    if outcome:
        case_outcome_record(touchpoint=touchpoint, outcome=outcome)


# retention: a subscription running, or ended since the cutoff (an ended one without an end
# date started after it at the latest), and ridership in or after the cutoff's month, keep
# the customer's data (the monthly partitions before it are not read)
SUBSCRIPTION_ACTIVITY = extensions.CustomerActivity(
    name="subscriptions",
    label=_("aucun abonnement en cours depuis le %(since)s"),
    sql=f"SELECT customer_id FROM {Subscription._meta.db_table} "
    "WHERE status IN ('active', 'suspended') "
    "OR COALESCE(end_date, start_date) >= (%(since)s)::date",
)
RIDERSHIP_ACTIVITY = extensions.CustomerActivity(
    name="ridership",
    label=_("aucune validation depuis le %(since)s"),
    sql=f"SELECT customer_id FROM {RidershipMonth._meta.db_table} "
    "WHERE month >= date_trunc('month', %(since)s)::date AND trips > 0",
)


def register() -> None:
    extensions.customer_activity.register(SUBSCRIPTION_ACTIVITY)
    extensions.customer_activity.register(RIDERSHIP_ACTIVITY)
    extensions.customer_panels.register(CASE_BANNER)
    extensions.customer_panels.register(RIDING_PANEL)
    extensions.touchpoint_form_fields.register(outcome_field, order=20)
    extensions.touchpoint_logged.register(outcome_after)
    # merges: every reconquest row of the absorbed record moves, and moves back on undo
    extensions.customer_merged.register(reconquest_merge)
    extensions.customer_merge_undone.register(reconquest_merge_undo)
