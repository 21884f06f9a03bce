"""The sampling pages: the agency's weekly samples, the draw, a sampled request's review
grid, the results per team and per segment, and a finding's item for Évoluer.

Drawing and reviewing need REVIEW_SAMPLES (supervisors and up), for their own agency;
opening an item for Évoluer writes a decision of the cycle: STEER_CYCLE (managers)."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agences.decorators import permission_required
from agences.models import Agency
from agences.permissions import REVIEW_SAMPLES, STEER_CYCLE, VIEW_NETWORK_FIGURES
from relation_client.quality import selectors, services
from relation_client.quality.forms import ReviewForm
from relation_client.quality.models import Sample, SampledRequest
from socle.errors import DomainError

REFUSED = gettext_lazy("Le contrôle par échantillon est réservé à l'encadrement.")
RESULT_WEEKS = 4


def sampling_access(permission: str = REVIEW_SAMPLES):
    return permission_required(permission, REFUSED)


@require_GET
@sampling_access()
def index(request):
    agency = request.agent.agency
    week = services.week_reviewed(timezone.now())
    samples = selectors.samples_of(agency=agency)
    context = {
        "agency": agency,
        "week": week,
        "drawn": any(sample.week == week for sample in samples),
        "samples": samples,
    }
    return render(request, "quality/index.html", context)


@require_POST
@sampling_access()
def draw(request):
    sample, drawn_now = services.sample_draw(agency=request.agent.agency, by=request.agent)
    if drawn_now:
        messages.success(
            request,
            _("Échantillon tiré : %(count)s demande(s) à revoir.")
            % {"count": sample.items.count()},
        )
    else:
        messages.info(request, _("L'échantillon de cette semaine est déjà tiré."))
    return redirect(sample)


def _own_sample(request, pk: int) -> Sample:
    return get_object_or_404(
        Sample.objects.select_related("agency"), pk=pk, agency=request.agent.agency
    )


@require_GET
@sampling_access()
def sample(request, pk: int):
    found = _own_sample(request, pk)
    items = found.items.select_related("request__reason", "request__customer__segment").order_by(
        "position"
    )
    return render(request, "quality/sample.html", {"sample": found, "items": items})


def _own_item(request, pk: int) -> SampledRequest:
    return get_object_or_404(
        SampledRequest.objects.select_related(
            "sample__agency",
            "request__reason",
            "request__customer__segment",
            "improvement__round",
        ),
        pk=pk,
        sample__agency=request.agent.agency,
    )


@require_http_methods(["GET", "POST"])
@sampling_access()
def review(request, pk: int):
    item = _own_item(request, pk)
    status = 200
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.review_save(item=item, by=request.agent, **form.values())
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Grille enregistrée."))
                following = (
                    item.sample.items.filter(reviewed_at__isnull=True, position__gt=item.position)
                    .order_by("position")
                    .first()
                )
                return (
                    redirect("quality:review", following.pk) if following else redirect(item.sample)
                )
        status = 422
    else:
        form = ReviewForm(initial=ReviewForm.initial_for(item))
    # the request's timeline: what was exchanged, when, by which channel (never by whom)
    timeline = item.request.touchpoints.only(
        "occurred_at", "channel", "direction", "summary", "kind"
    ).order_by("occurred_at", "id")[:50]
    context = {
        "item": item,
        "req": item.request,
        "form": form,
        "timeline": timeline,
        "can_improve": request.user.has_perm(STEER_CYCLE),
    }
    return render(request, "quality/review.html", context, status=status)


@require_POST
@sampling_access(STEER_CYCLE)
def improve(request, pk: int):
    item = _own_item(request, pk)
    try:
        decision = services.improvement_open(item=item, by=request.agent)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("quality:review", item.pk)
    messages.success(
        request,
        _("Piste d'amélioration ouverte à l'étape Évoluer : « %(decision)s ».")
        % {"decision": decision.decision},
    )
    return redirect(decision.round)


@require_GET
@sampling_access()
def results(request):
    network = request.user.has_perm(VIEW_NETWORK_FIGURES)
    agencies = Agency.objects.all() if network else [request.agent.agency]
    since = services.week_reviewed(timezone.now()) - datetime.timedelta(weeks=RESULT_WEEKS - 1)
    context = {
        "network": network,
        "agency": request.agent.agency,
        "since": since,
        "weeks": RESULT_WEEKS,
        **selectors.results(agencies=agencies, since=since),
    }
    return render(request, "quality/results.html", context)
