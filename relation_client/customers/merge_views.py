"""Merging two customer records, and undoing a merge: supervisors only
(MERGE_CUSTOMERS); the services write the audit rows."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agences.decorators import permission_required
from agences.permissions import MERGE_CUSTOMERS
from relation_client.customers.models import Customer, CustomerMerge
from relation_client.customers.services import customer_merge, customer_merge_undo
from socle.errors import DomainError

RECENT_MERGES = 10  # the merges listed, newest first, each with its undo button


@permission_required(MERGE_CUSTOMERS)
@require_http_methods(["GET", "POST"])
def merge(request):
    ids = {key: request.POST.get(key) or request.GET.get(key) for key in ("survivor", "absorbed")}
    pair = {}
    for key, value in ids.items():
        if value and value.isdigit():
            pair[key] = (
                Customer.objects.filter(pk=int(value))
                .select_related("segment", "home_agency", "usual_contact")
                .prefetch_related("contact_points", "identifiers")
                .first()
            )
    if request.method == "POST" and pair.get("survivor") and pair.get("absorbed"):
        try:
            survivor = customer_merge(
                survivor=pair["survivor"], absorbed=pair["absorbed"], by=request.agent
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Fiches fusionnées dans celle de %(name)s.") % {"name": survivor.salutation},
            )
            return redirect(survivor)
    recent = CustomerMerge.objects.select_related("survivor", "merged_by").order_by(
        "-merged_at", "-id"
    )[:RECENT_MERGES]
    return render(request, "customers/merge.html", {"pair": pair, "recent": recent})


@permission_required(MERGE_CUSTOMERS)
@require_POST
def merge_undo(request, pk: int):
    merge = get_object_or_404(CustomerMerge, pk=pk)
    try:
        absorbed = customer_merge_undo(merge=merge, by=request.agent)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("customers:merge")
    messages.success(
        request,
        _("Fusion annulée : la fiche de %(name)s est rétablie.") % {"name": absorbed.salutation},
    )
    return redirect(absorbed)
