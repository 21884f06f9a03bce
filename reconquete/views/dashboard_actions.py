"""The manager's buttons on the dashboard: recompute the indicators (and follow the run's
progress bar), detect the lost customers now."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agences.decorators import permission_required
from agences.permissions import MANAGE_CAMPAIGNS
from reconquete import selectors
from reconquete.services import recompute_request
from reconquete.services.lapses import detection_request
from relation_client.runs.models import BackgroundRun


@require_POST
@permission_required(MANAGE_CAMPAIGNS)
def recompute(request):
    run = recompute_request(by=request.agent)
    if request.htmx:
        return _progress(request, run)
    messages.info(request, _("Recalcul des indicateurs lancé."))
    return redirect("reconquete:dashboard")


def _progress(request, run: BackgroundRun):
    context = {
        "run": run,
        "poll_url": reverse("reconquete:recompute_progress", args=[run.pk]),
        "result_url": reverse("reconquete:dashboard"),
    }
    return render(request, "runs/partials/_progress.html", context)


@require_GET
@permission_required(MANAGE_CAMPAIGNS)
def recompute_progress(request, pk: int):
    run = selectors.recompute_run(run_id=pk)
    if run is None:
        raise Http404
    return _progress(request, run)


@require_POST
@permission_required(MANAGE_CAMPAIGNS)
def detect(request):
    detection_request()
    messages.info(
        request,
        _("Détection lancée : les nouveaux dossiers apparaîtront dans quelques instants."),
    )
    return redirect("reconquete:dashboard")
