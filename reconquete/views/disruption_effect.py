"""« Effet des prévenances »: contacted and held-out riders of the disruptions compared on
lapse and win-back, and per line and month the complaints, lapses and disruption hours."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from agences.decorators import permission_required
from agences.permissions import VIEW_AGENCY_FIGURES, VIEW_NETWORK_FIGURES
from reconquete.forms import DisruptionEffectForm
from reconquete.selectors import add_months
from reconquete.selectors import disruption_effect as effect

DEFAULT_MONTHS = 6  # the current month and the five before it


@require_GET
@permission_required(VIEW_AGENCY_FIGURES)
def disruption_effect_view(request):
    network = request.user.has_perm(VIEW_NETWORK_FIGURES)
    form = DisruptionEffectForm(request.GET or None, network=network)
    data = form.cleaned_data if form.is_valid() else {}
    this_month = timezone.localdate().replace(day=1)
    last = data.get("au") or this_month
    first = data.get("du") or add_months(last, 1 - DEFAULT_MONTHS)
    if not form.is_bound:
        form.initial.update(du=first, au=last)
    # managers see their agency's riders; the network director chooses
    agency = data.get("agence") if network else request.agent.agency
    agency_id = agency.pk if agency else None
    context = {
        "form": form,
        "agency": agency,
        "first": first,
        "last": last,
        "min_sample": effect.MIN_SAMPLE,
        "groups": effect.disruption_effect(first=first, last=last, agency_id=agency_id)
        if not form.errors
        else [],
        "lines": effect.line_months(first=first, last=last, agency_id=agency_id)
        if not form.errors
        else [],
    }
    return render(request, "reconquete/disruption_effect.html", context)
