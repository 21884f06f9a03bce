"""Exchanges with a person who gave no name (issue #14, point 2): logged in one step from
the home page, listed for the agency, attached to a customer found by the customer search,
or made into a new customer. Same access as the workspace; another agency's exchange, or
one already attached, is a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agences.models import Agent
from relation_client.customers.models import Customer
from relation_client.customers.quick import quick_customer_submit
from relation_client.customers.selectors import customer_search
from relation_client.privacy.reads import audit_list_read
from relation_client.touchpoints import selectors
from relation_client.touchpoints.forms import WalkInCustomerForm, WalkInForm
from relation_client.touchpoints.models import Touchpoint
from relation_client.touchpoints.services.walkins import (
    walkin_attach,
    walkin_customer_create,
    walkin_log,
)
from relation_client.touchpoints.views import workspace_agent
from socle.errors import DomainError

PAGE_SIZE = 25


def _list(request, agent: Agent, form: WalkInForm, status: int = 200):
    page = Paginator(selectors.walkins_unattached(agency_id=agent.agency_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "touchpoints/walkins.html",
        {"agency": agent.agency, "page": page, "form": form},
        status=status,
    )


@require_GET
@workspace_agent
def walkin_list(request, agent: Agent):
    return _list(request, agent, WalkInForm())


@require_POST
@workspace_agent
def walkin_log_view(request, agent: Agent):
    form = WalkInForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            touchpoint = walkin_log(
                agent=agent,
                channel=data["channel"],
                reason=data["reason"],
                summary=data["summary"],
                contact_left=data["contact_left"],
                open_request=data["open_request"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            if touchpoint.request_id:
                messages.success(
                    request, _("Échange sans nom enregistré ; une demande est ouverte.")
                )
            else:
                messages.success(request, _("Échange sans nom enregistré."))
            return redirect("touchpoints:walkin_list")
    return _list(request, agent, form, status=422)


def _walkin_or_404(agent: Agent, pk: int) -> Touchpoint:
    touchpoint = selectors.walkin_for_agent(agent=agent, pk=pk)
    if touchpoint is None:
        raise Http404
    return touchpoint


def _detail(request, agent, touchpoint, *, customer_form=None, matches=(), status=200):
    query = request.GET.get("q", "").strip()
    results, error = [], None
    if query:
        try:
            results = customer_search(query=query)
        except DomainError as refused:
            query, error = "", str(refused)
        else:
            audit_list_read(user=request.user, channel="page", shown=len(results), query=query)
    customer_form = customer_form or WalkInCustomerForm(
        touchpoint=touchpoint, initial=WalkInCustomerForm.initial_for(touchpoint)
    )
    return render(
        request,
        "touchpoints/walkin_detail.html",
        {
            "touchpoint": touchpoint,
            "query": query,
            "results": results,
            "error": error,
            "customer_form": customer_form,
            "matches": matches,
        },
        status=status,
    )


@require_GET
@workspace_agent
def walkin_detail(request, agent: Agent, pk: int):
    return _detail(request, agent, _walkin_or_404(agent, pk))


@require_POST
@workspace_agent
def walkin_attach_view(request, agent: Agent, pk: int):
    touchpoint = _walkin_or_404(agent, pk)
    customer_id = request.POST.get("customer", "")
    customer = (
        Customer.objects.select_related("segment").filter(pk=int(customer_id)).first()
        if customer_id.isdigit() and len(customer_id) < 19
        else None
    )
    if customer is None:
        messages.error(request, _("Choisissez le client dans les résultats de la recherche."))
        return _detail(request, agent, touchpoint, status=422)
    try:
        walkin_attach(touchpoint=touchpoint, customer=customer, by=agent)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("touchpoints:walkin_detail", pk=touchpoint.pk)
    messages.success(
        request,
        _("Échange rattaché à %(name)s : il figure dans son historique.")
        % {"name": customer.salutation},
    )
    return redirect(customer)


@require_POST
@workspace_agent
def walkin_customer_create_view(request, agent: Agent, pk: int):
    touchpoint = _walkin_or_404(agent, pk)
    customer, form, matches = quick_customer_submit(
        lambda show_confirm: WalkInCustomerForm(
            request.POST, touchpoint=touchpoint, show_confirm=show_confirm
        ),
        lambda form, confirmed: walkin_customer_create(
            touchpoint=touchpoint,
            data=form.customer_data(agent.agency),
            by=agent,
            confirm_duplicate=confirmed,
        ),
    )
    if customer is not None:
        messages.success(
            request, _("Fiche de %(name)s créée, avec son échange.") % {"name": customer.salutation}
        )
        return redirect(customer)
    return _detail(request, agent, touchpoint, customer_form=form, matches=matches, status=422)
