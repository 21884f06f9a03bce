"""The agent's call list ("Ma liste d'appels") and the two-click outcome."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agences.decorators import workspace_required
from reconquete import selectors
from reconquete.forms import OutcomeForm
from reconquete.models import CampaignTarget, ContactOutcome
from reconquete.services import target_outcome_record
from reconquete.services.campaigns import CHANNEL_PREFERENCE
from reconquete.views.common import PAGE_SIZE
from socle.errors import DomainError


def _channels(target: CampaignTarget) -> list[str]:
    return [c for c in CHANNEL_PREFERENCE if c in target.current_channels]


def _decorate(target: CampaignTarget) -> CampaignTarget:
    target.explanation = selectors.case_explanation(
        reason=target.case.reason, details=target.case.details
    )
    target.allowed_channels = _channels(target)
    return target


def _item_context(target: CampaignTarget, error: str = "") -> dict:
    return {
        "target": _decorate(target),
        "outcomes": ContactOutcome.choices,
        "channel_form": OutcomeForm(channels=target.allowed_channels, prefix=f"t{target.pk}"),
        "error": error,
    }


@require_GET
@workspace_required
def call_list(request):
    done = request.GET.get("vue") == "traites"
    targets = selectors.call_list_for(agent=request.agent, done=done)
    page = Paginator(targets, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [_item_context(target) for target in page.object_list]
    context = {
        "page": page,
        "items": items,
        "done": done,
        "extra": "&vue=traites" if done else "",
        # the retention calls to make before a lapse: the agent's own subscribers
        "renewals_due": selectors.renewals_due(request.agent).count(),
    }
    return render(request, "reconquete/call_list.html", context)


@require_POST
@workspace_required
def target_outcome(request, pk: int):
    target = selectors.target_for_agent(agent=request.agent, pk=pk)
    if target is None:
        raise Http404(_("Ce client n'est pas sur votre liste d'appels."))
    # the form knows the launch's channels; the service refuses those withdrawn since,
    # with the reason
    launched = [c for c in CHANNEL_PREFERENCE if c in target.channels]
    form = OutcomeForm(request.POST, channels=launched, prefix=f"t{target.pk}")
    error = ""
    if form.is_valid():
        try:
            target_outcome_record(
                target=target,
                outcome=form.cleaned_data["outcome"],
                by=request.agent,
                channel=form.cleaned_data["channel"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            error = str(exc)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:
        # htmx swaps 2xx answers only: an error comes back inside the item
        item = selectors.call_item(agent=request.agent, pk=pk)
        if item is None:
            # consent withdrawn meanwhile: the line leaves the list, the reason stays
            return render(
                request, "reconquete/partials/_call_item_gone.html", {"error": error, "pk": pk}
            )
        return render(request, "reconquete/partials/_call_item.html", _item_context(item, error))
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("Résultat enregistré pour %(name)s.") % {"name": target.customer.salutation},
        )
    return redirect("reconquete:call_list")
