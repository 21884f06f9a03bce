"""Merging two customer records, and undoing a merge: supervisors only
(MERGE_CUSTOMERS); the services write the audit rows.

The page is reached from a customer page or a duplicate warning with one record (or
both) preselected; the other is chosen by name through the customers' search
(customer_search), typed ahead with htmx and by a plain form without it. Both records
are shown side by side before the merge is confirmed."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agences.decorators import permission_required
from agences.permissions import MERGE_CUSTOMERS
from relation_client.customers.models import Customer, CustomerMerge
from relation_client.customers.selectors import customer_search
from relation_client.customers.services import customer_merge, customer_merge_undo
from relation_client.privacy.reads import audit_list_read
from socle.errors import DomainError

RECENT_MERGES = 10  # the merges listed, newest first, each with its undo button
SIDES = ("survivor", "absorbed")


def _pair(request) -> dict[str, Customer]:
    """The records named by the request (POST, else GET), one query for both."""
    ids = {}
    for key in SIDES:
        value = request.POST.get(key) or request.GET.get(key) or ""
        if value.isdigit():
            ids[key] = int(value)
    found = {
        c.pk: c
        for c in Customer.objects.filter(pk__in=ids.values())
        .select_related("segment", "home_agency", "usual_contact__agency")
        .prefetch_related("contact_points", "identifiers")
    }
    return {key: found[pk] for key, pk in ids.items() if pk in found}


def _candidates(request, pair: dict, query: str) -> tuple[list[Customer], str]:
    """The customers found by name for the side still to choose, the preselected ones
    left out; audited like any search page. An error text for a refused query."""
    if not query:
        return [], ""
    try:
        found = customer_search(query=query)
    except DomainError as error:
        return [], str(error)
    chosen = {c.pk for c in pair.values()}
    results = [c for c in found if c.pk not in chosen]
    audit_list_read(user=request.user, channel="page", shown=len(results), query=query)
    return results, ""


@permission_required(MERGE_CUSTOMERS)
@require_http_methods(["GET", "POST"])
def merge(request):
    pair = _pair(request)
    if request.method == "POST" and len(pair) == 2:
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
    # the side the search fills: the one still empty
    missing = next((key for key in SIDES if key not in pair), None)
    query = request.GET.get("q", "").strip() if missing else ""
    results, error = _candidates(request, pair, query)
    chosen = pair.get("survivor") or pair.get("absorbed")
    context = {
        "pair": pair,
        "chosen": chosen,
        # each result, with the page comparing it to the record already chosen
        "choices": [
            (c, "?" + urlencode({**{key: p.pk for key, p in pair.items()}, missing: c.pk}))
            for c in results
        ],
        "both": len(pair) == 2,
        "missing": missing,
        "query": query,
        "results": results,
        "error": error,
    }
    if request.htmx and request.htmx.target == "candidats":
        return render(request, "customers/partials/_merge_candidates.html", context)
    context["recent"] = CustomerMerge.objects.select_related("survivor", "merged_by").order_by(
        "-merged_at", "-id"
    )[:RECENT_MERGES]
    return render(request, "customers/merge.html", context)


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
