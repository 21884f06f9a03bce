"""The disruption pages: the list and one disruption (agents and up), the entry form
(supervisors and up: MANAGE_DISRUPTIONS)."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agences.decorators import permission_required, workspace_required
from agences.permissions import MANAGE_DISRUPTIONS, VIEW_DISRUPTIONS
from relation_client.customers.models import Customer
from relation_client.network import selectors, services
from relation_client.network.complaints import disruption_complaints
from relation_client.network.contact import disruption_riders_warn
from relation_client.network.forms import DeclaredLinesForm, DisruptionForm
from relation_client.network.models import CustomerLine, Disruption, RiderSource
from relation_client.network.riders import (
    customer_lines_declare,
    disruption_riders,
    riders_detail,
)
from socle.errors import DomainError

PAGE_SIZE = 25
RIDERS_PAGE_SIZE = 50
REFUSED_VIEW = gettext_lazy("Les perturbations sont réservées aux équipes des agences.")
REFUSED_MANAGE = gettext_lazy(
    "La saisie des perturbations est réservée aux superviseurs et aux managers."
)


@require_GET
@permission_required(VIEW_DISRUPTIONS, REFUSED_VIEW)
def disruption_list(request):
    page = Paginator(selectors.disruptions_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/disruption_list.html",
        {"page": page, "can_manage": request.user.has_perm(MANAGE_DISRUPTIONS)},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE_DISRUPTIONS, REFUSED_MANAGE)
def disruption_new(request):
    form = DisruptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disruption = services.disruption_create(by=request.agent, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Perturbation enregistrée."))
            return redirect(disruption)
    status = 422 if form.errors else 200
    return render(request, "network/disruption_new.html", {"form": form}, status=status)


@require_GET
@permission_required(VIEW_DISRUPTIONS, REFUSED_VIEW)
def disruption_detail(request, pk: int):
    disruption = get_object_or_404(selectors.disruptions_list(), pk=pk)
    page = Paginator(disruption_riders(disruption=disruption), RIDERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "disruption": disruption,
        "page": page,
        "riders": riders_detail(disruption=disruption, customers=list(page.object_list)),
        "calls": selectors.call_list(disruption=disruption),
        "counts": selectors.contact_counts(disruption=disruption),
        "complaints": disruption_complaints(disruption=disruption),
        "can_manage": request.user.has_perm(MANAGE_DISRUPTIONS),
        "held_out_percent": settings.NETWORK_HELD_OUT_PERCENT,
    }
    return render(request, "network/disruption_detail.html", context)


@require_POST
@permission_required(MANAGE_DISRUPTIONS, REFUSED_MANAGE)
def disruption_warn(request, pk: int):
    disruption = get_object_or_404(Disruption, pk=pk)
    try:
        report = disruption_riders_warn(disruption=disruption, by=request.agent)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Voyageurs prévenus : %(emails)s e-mail(s) et %(sms)s SMS en partance, "
                "%(calls)s appel(s) à passer, %(held)s voyageur(s) dans le groupe témoin, "
                "%(none)s sans canal consenti."
            )
            % {
                "emails": report.emails,
                "sms": report.sms,
                "calls": report.calls,
                "held": report.held_out,
                "none": report.unreachable,
            },
        )
    return redirect(disruption)


@require_http_methods(["GET", "POST"])
@workspace_required
def customer_lines(request, pk: int):
    """The lines a customer declares with their subscription."""
    customer = get_object_or_404(Customer, pk=pk)
    declared = CustomerLine.objects.filter(customer=customer, source=RiderSource.DECLARED)
    form = DeclaredLinesForm(
        request.POST or None, initial={"lines": [link.line_id for link in declared]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            customer_lines_declare(
                customer=customer, lines=list(form.cleaned_data["lines"]), on=timezone.localdate()
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Lignes de %(name)s enregistrées.") % {"name": customer.salutation},
            )
            return redirect(customer)
    status = 422 if form.errors else 200
    return render(
        request, "network/customer_lines.html", {"form": form, "customer": customer}, status=status
    )
