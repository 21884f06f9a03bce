"""The disruption pages: the list and one disruption (agents and up), the entry form
(supervisors and up: MANAGE_DISRUPTIONS)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from agences.decorators import permission_required
from agences.permissions import MANAGE_DISRUPTIONS, VIEW_DISRUPTIONS
from relation_client.network import selectors, services
from relation_client.network.forms import DisruptionForm
from socle.errors import DomainError

PAGE_SIZE = 25
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
    return render(request, "network/disruption_detail.html", {"disruption": disruption})
