"""The team's page of the thanks it received: the customer's words, when, on which
channel, for which line — never who said them."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agences.decorators import workspace_required
from agences.models import Agency
from agences.permissions import VIEW_NETWORK_FIGURES
from satisfaction.selectors import compliments as selectors

PAGE_SIZE = 25


@require_GET
@workspace_required
def compliment_list(request):
    network = request.user.has_perm(VIEW_NETWORK_FIGURES)
    agency = None
    wanted = request.GET.get("agence", "")
    if wanted.isdigit():
        if not network and int(wanted) != request.agent.agency_id:
            raise PermissionDenied(_("Vous ne voyez que les remerciements de votre agence."))
        agency = get_object_or_404(Agency, pk=wanted)
    compliments = selectors.compliment_list(agent=request.agent, user=request.user, agency=agency)
    page = Paginator(compliments, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": selectors.compliment_rows(page.object_list),
        "agency": agency,
        "network": network,
        "extra": f"&agence={agency.pk}" if agency else "",
    }
    return render(request, "satisfaction/compliment_list.html", context)
