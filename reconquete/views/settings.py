"""Detection thresholds per segment, set by managers."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agences.decorators import permission_required
from agences.permissions import MANAGE_CAMPAIGNS
from reconquete import selectors
from reconquete.forms import SettingsForm
from reconquete.models import ReconquestSettings
from reconquete.services import settings_reset, settings_save
from relation_client.customers.models import Segment
from socle.errors import DomainError

NETWORK = "reseau"


@require_GET
@permission_required(MANAGE_CAMPAIGNS)
def settings_list(request):
    return render(request, "reconquete/settings.html", {"lines": selectors.settings_table()})


def _segment(key: str) -> Segment | None:
    if key == NETWORK:
        return None
    if not key.isdigit():
        raise Http404
    return get_object_or_404(Segment, pk=int(key))


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE_CAMPAIGNS)
def settings_edit(request, key: str):
    segment = _segment(key)
    effective = selectors.settings_effective()
    current = effective[segment.pk if segment else None]
    # a segment without its own row starts from the network's values
    instance = ReconquestSettings(
        segment=segment,
        **{name: getattr(current, name) for name in SettingsForm.Meta.fields},
    )
    if current.pk and current.segment_id == (segment.pk if segment else None):
        instance = current
    action = reverse("reconquete:settings_edit", args=[key])
    form = SettingsForm(request.POST or None, instance=instance, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            settings_save(segment=segment, data=form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(
                request, _("Seuils enregistrés : ils s'appliquent dès la prochaine détection.")
            )
            return redirect("reconquete:settings")
    context = {"form": form, "segment": segment, "own": instance.pk is not None}
    return render(request, "reconquete/settings_edit.html", context)


@require_POST
@permission_required(MANAGE_CAMPAIGNS)
def settings_reset_view(request, key: str):
    segment = _segment(key)
    if segment is not None:
        settings_reset(segment=segment)
        messages.success(
            request,
            _("Le segment %(name)s suit de nouveau les seuils du réseau.") % {"name": segment.name},
        )
    return redirect("reconquete:settings")
