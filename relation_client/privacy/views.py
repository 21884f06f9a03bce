import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from agences.decorators import permission_required
from agences.permissions import USE_PRIVACY_TOOLS
from relation_client.customers.models import Customer
from relation_client.customers.selectors import customer_search_page
from relation_client.privacy.document import access_document, exported_at
from relation_client.privacy.models import AuditAction, AuditEvent, RetentionRun
from relation_client.privacy.reads import audit_list_read
from relation_client.privacy.retention import (
    retention_candidates,
    retention_cutoff,
    retention_preview,
)
from relation_client.privacy.services import actor_label, customer_erase, customer_export
from socle.errors import DomainError

# the data-protection officer's tools (and administrators')
dpo_required = permission_required(
    USE_PRIVACY_TOOLS,
    gettext_lazy("Cette page est réservée au délégué à la protection des données."),
)


@dpo_required
@require_GET
def index(request):
    """The audit trail, searchable by record number, author and action."""
    events = AuditEvent.objects.all()
    customer_id = request.GET.get("fiche", "").strip()
    if customer_id.isdigit():
        events = events.filter(customer_id=int(customer_id))
    author = request.GET.get("auteur", "").strip()
    if author:
        events = events.filter(actor_label__icontains=author)
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        events = events.filter(action=action)
    query = request.GET.get("q", "").strip()
    found, error = None, ""
    try:
        if query:
            # `page` pages the journal below: the search has its own page number
            found = customer_search_page(query=query, page=request.GET.get("page_recherche"))
            number = found.page.number
            audit_list_read(
                user=request.user,
                channel="page",
                shown=len(found.lines),
                query=query,
                page=str(number) if number > 1 else "",
            )
    except DomainError as refused:
        query, error = "", str(refused)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/index.html",
        {
            "page": page,
            "actions": AuditAction.choices,
            "filters": request.GET,
            "found": found,
            "query": query,
            "search_error": error,
            "runs": RetentionRun.objects.all()[:5],
        },
        status=422 if error else 200,
    )


@dpo_required
@require_GET
def retention(request):
    """Whom tonight's retention job would anonymise, and why, before it runs."""
    cutoff = retention_cutoff()
    page = Paginator(retention_candidates(cutoff=cutoff), 50).get_page(request.GET.get("page"))
    audit_list_read(
        user=request.user,
        channel="page",
        shown=len(page.object_list),
        query=_("prochaine purge de conservation"),
        page=str(page.number),
    )
    return render(
        request,
        "privacy/retention.html",
        {
            "cutoff": cutoff,
            "page": page,
            "candidates": retention_preview(cutoff=cutoff, customers=page.object_list),
        },
    )


@dpo_required
@require_GET
def customer(request, pk: int):
    """Right of access: everything held, as a French document the DPO prints (or saves as
    PDF from the browser) for the person; the machine-readable JSON with ?format=json."""
    person = get_object_or_404(
        Customer.objects.select_related("segment", "home_agency", "usual_contact"), pk=pk
    )
    data = customer_export(customer=person, user=request.user)
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2, default=str),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="fiche-{person.pk}.json"'
        return response
    return render(
        request,
        "privacy/customer.html",
        {
            "person": person,
            "sections": access_document(data),
            "exported_at": exported_at(data),
            "author": actor_label(request.user),
        },
    )


@dpo_required
@require_POST
def erase(request, pk: int):
    person = get_object_or_404(Customer, pk=pk)
    if request.POST.get("confirmation") != str(person.pk):
        messages.error(request, _("Recopiez le numéro de la fiche pour confirmer l'effacement."))
        return redirect("privacy:customer", pk=pk)
    try:
        customer_erase(customer=person, user=request.user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("privacy:customer", pk=pk)
    messages.success(request, _("Fiche n° %(pk)s anonymisée.") % {"pk": pk})
    return redirect("privacy:index")
