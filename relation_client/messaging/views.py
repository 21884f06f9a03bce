"""What staff see of received messages: the messages waiting for a person ("Messages à
identifier", with the automatic and unreadable ones in their own tabs), each filed for an
existing customer or for a new one in one step; the message page (headers in words, the
new part, the whole text, the sanitised HTML, the attachments); an attachment's download.

For the agencies' teams (workspace_required: not the DPO's role alone, not partners).
Who sees which message: messaging.selectors (the requests' agency rule); anyone else gets
a 404, its existence is not theirs to know."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agences.models import Agent
from relation_client.customers.models import Customer
from relation_client.customers.quick import quick_customer_submit
from relation_client.customers.selectors import customer_search
from relation_client.messaging import selectors
from relation_client.messaging.display import (
    attachment_content_type,
    automatic_reason_text,
    html_for_display,
)
from relation_client.messaging.forms import MessageCustomerForm
from relation_client.messaging.identify import message_attach, message_customer_create
from relation_client.messaging.models import InboundMessage
from relation_client.privacy.models import AuditAction
from relation_client.privacy.reads import audit_list_read
from relation_client.privacy.services import audit_record
from relation_client.touchpoints.selectors import requests_workable
from relation_client.touchpoints.views import workspace_agent
from socle.errors import DomainError

PAGE_SIZE = 20
DEFAULT_VIEW = "a-identifier"


def _customer_form(message: InboundMessage) -> MessageCustomerForm:
    return MessageCustomerForm(message=message, initial=MessageCustomerForm.initial_for(message))


@require_GET
@workspace_agent
def waiting_list(request, agent: Agent):
    view = request.GET.get("vue", DEFAULT_VIEW)
    if view not in selectors.WAITING_VIEWS:
        view = DEFAULT_VIEW
    status = selectors.WAITING_VIEWS[view]
    counts = selectors.waiting_counts(agent=agent)
    paginator = Paginator(selectors.messages_waiting(agent=agent, status=status), PAGE_SIZE)
    paginator.count = counts[view.replace("-", "_")]  # the tab's count: no second COUNT
    page = paginator.get_page(request.GET.get("page"))
    for message in page.object_list:
        message.customer_form = _customer_form(message)
        message.automatic_text = automatic_reason_text(message.automatic_reason)
    return render(
        request,
        "messaging/waiting_list.html",
        {
            "agent": agent,
            "view": view,
            "status": status,
            "counts": counts,
            "page": page,
            "extra": f"&vue={view}" if view != DEFAULT_VIEW else "",
        },
    )


def _message_or_404(agent: Agent, pk: int) -> InboundMessage:
    message = selectors.message_for_agent(agent=agent, pk=pk)
    if message is None:
        raise Http404(_("Aucun message de vos boîtes ou de vos demandes ne porte ce numéro."))
    return message


def _candidates(request, message: InboundMessage) -> dict:
    """The customers found by the customers' search for the "Rattacher à …" step (erased
    records left out), audited like any search page."""
    query = request.GET.get("q", "").strip()
    if not query:
        return {"query": "", "results": [], "error": ""}
    try:
        found = customer_search(query=query)
    except DomainError as refused:
        return {"query": "", "results": [], "error": str(refused)}
    results = [customer for customer in found if customer.anonymised_at is None]
    audit_list_read(user=request.user, channel="page", shown=len(results), query=query)
    return {"query": query, "results": results, "error": ""}


def _detail(request, agent, message, *, customer_form=None, matches=(), status=200):
    actionable = message.status in selectors.ACTIONABLE_STATUSES
    context = {
        "message": message,
        "actionable": actionable,
        "automatic_text": automatic_reason_text(message.automatic_reason),
        "attachments": selectors.attachments_of(message),
        # the sanitised HTML part, cleaned once more for the page (no remote images)
        "html": html_for_display(message.body_html),
        "other_headers": sorted(message.headers.items()),
        "request_openable": bool(
            message.request_id
            and requests_workable(agent=agent).filter(pk=message.request_id).exists()
        ),
        "matches": matches,
        **(_candidates(request, message) if actionable else {}),
    }
    if actionable:
        context["customer_form"] = customer_form or _customer_form(message)
    if message.customer_id:
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            customer_ids=[message.customer_id],
            channel="page",
            code="audit.message_read",
            params={"pk": message.pk},
        )
    return render(request, "messaging/message_detail.html", context, status=status)


@require_GET
@workspace_agent
def message_detail(request, agent: Agent, pk: int):
    message = _message_or_404(agent, pk)
    if request.htmx and request.htmx.target == f"candidats-{message.pk}":
        # typed ahead in the "Rattacher à …" search, on this page or on the list
        if message.status not in selectors.ACTIONABLE_STATUSES:
            raise Http404
        return render(
            request,
            "messaging/partials/_candidates.html",
            {"message": message, **_candidates(request, message)},
        )
    return _detail(request, agent, message)


def _filed(request, agent: Agent, message: InboundMessage, done: str):
    """After filing: the request, when the agent may work it; otherwise (it went to the
    customer's agency) the customer's page, saying where."""
    messages.success(request, done)
    if message.request_id and requests_workable(agent=agent).filter(pk=message.request_id).exists():
        return redirect("touchpoints:request_detail", pk=message.request_id)
    if message.request_id:
        messages.info(
            request,
            _("La demande est suivie par l'agence %(agency)s.")
            % {"agency": message.request.agency.name},
        )
    return redirect(message.customer)


@require_POST
@workspace_agent
def message_attach_view(request, agent: Agent, pk: int):
    message = _message_or_404(agent, pk)
    customer_id = request.POST.get("customer", "")
    customer = (
        Customer.objects.filter(pk=int(customer_id)).first()
        if customer_id.isdigit() and len(customer_id) < 19
        else None
    )
    if customer is None:
        messages.error(request, _("Choisissez le client dans les résultats de la recherche."))
        return _detail(request, agent, message, status=422)
    try:
        filed = message_attach(message=message, customer=customer, by=agent)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("messaging:detail", pk=message.pk)
    return _filed(
        request,
        agent,
        filed,
        _("Message rattaché à %(name)s : il figure dans son historique.")
        % {"name": customer.salutation},
    )


@require_POST
@workspace_agent
def message_customer_create_view(request, agent: Agent, pk: int):
    message = _message_or_404(agent, pk)
    filed, form, matches = quick_customer_submit(
        lambda show_confirm: MessageCustomerForm(
            request.POST, message=message, show_confirm=show_confirm
        ),
        lambda form, confirmed: message_customer_create(
            message=message,
            data=form.customer_data(agent.agency),
            by=agent,
            confirm_duplicate=confirmed,
        ),
    )
    if filed is not None:
        return _filed(
            request,
            agent,
            filed,
            _("Fiche de %(name)s créée, avec son message.") % {"name": filed.customer.salutation},
        )
    if message.status not in selectors.ACTIONABLE_STATUSES:
        return redirect("messaging:detail", pk=message.pk)
    return _detail(request, agent, message, customer_form=form, matches=matches, status=422)


@require_GET
@workspace_agent
def attachment_download(request, agent: Agent, pk: int, attachment: int):
    """An accepted attachment, always downloaded (never shown in the page), for those who
    may open its message."""
    found = selectors.attachment_for_agent(agent=agent, message_pk=pk, pk=attachment)
    if found is None:
        raise Http404
    content = bytes(found.content)
    response = HttpResponse(content, content_type=attachment_content_type(found.content_type))
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=found.filename or "piece-jointe"
    )
    response["Content-Length"] = str(len(content))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if found.message.customer_id:
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            customer_ids=[found.message.customer_id],
            channel="page",
            code="audit.attachment_read",
            params={"name": found.filename[:80], "pk": found.message_id},
        )
    return response
