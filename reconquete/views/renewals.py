"""Subscriptions to renew ("Renouvellements à prévoir"): the usual contact's customers whose
subscription ends within the month with nothing to follow it (a supervisor's: their
agency's), and the retention call's outcome."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from agences.decorators import workspace_required
from agences.permissions import VIEW_AGENCY_FIGURES
from reconquete.models import ContactOutcome
from reconquete.selectors import RENEWAL_WINDOW_DAYS, renewals_due, renewals_in_scope
from reconquete.services import renewal_call_record, renewal_outcomes
from reconquete.views.common import PAGE_SIZE
from socle.errors import DomainError


class RenewalCallForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Résultat"), choices=ContactOutcome.choices)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)


def _agency_view(request) -> bool:
    """Supervisors and up see their agency's list; everyone may narrow it to their own."""
    return request.user.has_perm(VIEW_AGENCY_FIGURES) and request.GET.get("vue") != "miens"


@require_GET
@workspace_required
def renewal_list(request):
    agency = _agency_view(request)
    subscriptions = renewals_due(request.agent, agency=agency)
    page = Paginator(subscriptions, PAGE_SIZE).get_page(request.GET.get("page"))
    for subscription in page.object_list:
        subscription.outcomes = renewal_outcomes(marketing=subscription.marketing_given)
    context = {
        "page": page,
        "agency": agency,
        "may_see_agency": request.user.has_perm(VIEW_AGENCY_FIGURES),
        "window": RENEWAL_WINDOW_DAYS,
        "extra": "&vue=miens" if request.GET.get("vue") == "miens" else "",
    }
    return render(request, "reconquete/renewals.html", context)


@require_POST
@workspace_required
def renewal_call(request, pk: int):
    agency = request.user.has_perm(VIEW_AGENCY_FIGURES)
    subscription = (
        renewals_in_scope(request.agent, agency=agency)
        .select_related("customer")
        .filter(pk=pk)
        .first()
    )
    if subscription is None:
        raise Http404(_("Ce client n'est pas sur votre liste de renouvellements."))
    form = RenewalCallForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("reconquete:renewals")
    try:
        renewal_call_record(
            subscription=subscription,
            outcome=form.cleaned_data["outcome"],
            by=request.agent,
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Appel noté pour %(name)s.") % {"name": subscription.customer.salutation},
        )
    return redirect("reconquete:renewals")
