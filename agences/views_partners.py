"""Partners and their commitments: compliance per partner and month (snapshots only).

For supervisors and up (`agences.view_agency_figures`); recomputing a month takes the
right to edit commitments (managers).
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agences import selectors, services
from agences.decorators import agent_required
from agences.forms import MonthForm, RecomputeForm
from agences.models import Partner
from agences.months import month_start, next_month, previous_month

VIEW_FIGURES = "agences.view_agency_figures"
RECOMPUTE = "agences.change_partnercommitment"


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("Ces indicateurs sont réservés à l'encadrement."))


@require_GET
@agent_required
def partner_list(request):
    _require(request, VIEW_FIGURES)
    form = MonthForm(request.GET or None, initial={"mois": month_start(timezone.localdate())})
    month = form.cleaned_data["mois"] if form.is_valid() else month_start(timezone.localdate())
    context = {
        "form": form,
        "month": month,
        "rows": selectors.partners_overview(month=month),
        "can_recompute": request.user.has_perm(RECOMPUTE),
        "recompute_form": RecomputeForm(initial={"mois": month}),
    }
    return render(request, "agences/partner_list.html", context)


@require_GET
@agent_required
def partner_compliance(request, pk: int, year: int, month: int):
    _require(request, VIEW_FIGURES)
    partner = get_object_or_404(Partner, pk=pk)
    try:
        first = datetime.date(year, month, 1)
    except ValueError:
        raise Http404(_("Mois inconnu.")) from None
    report = selectors.partner_month(partner=partner, month=first)
    context = {
        "report": report,
        "previous": previous_month(first),
        "next": next_month(first),
        "can_recompute": request.user.has_perm(RECOMPUTE),
        "recompute_form": RecomputeForm(initial={"mois": first, "partenaire": partner.pk}),
    }
    return render(request, "agences/partner_compliance.html", context)


@require_POST
@agent_required
def compliance_recompute(request):
    _require(request, RECOMPUTE)
    form = RecomputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Mois inconnu."))
        return redirect("agences:partner_list")
    month = form.cleaned_data["mois"]
    written = services.partner_compliance_compute(month=month)
    messages.success(
        request,
        _("Conformité de %(month)s recalculée (%(count)s engagement(s) mesuré(s)).")
        % {"month": month.strftime("%m/%Y"), "count": written},
    )
    partner_pk = form.cleaned_data["partenaire"]
    if partner_pk:
        return redirect(
            "agences:partner_compliance", pk=partner_pk, year=month.year, month=month.month
        )
    return redirect(f"{reverse('agences:partner_list')}?mois={month:%Y-%m}")
