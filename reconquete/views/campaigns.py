"""Campaigns, for managers: list, create (a draft), launch, close, targets and their CSV.
A manager sees their agency's campaigns; the network director sees them all."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agences.decorators import permission_required
from agences.permissions import MANAGE_CAMPAIGNS
from reconquete import selectors
from reconquete.forms import CampaignForm, LaunchForm
from reconquete.models import (
    Campaign,
    CampaignStatus,
    CampaignTarget,
    CaseReason,
    NotContactable,
)
from reconquete.services import (
    CampaignData,
    campaign_close,
    campaign_create,
    campaign_launch,
)
from reconquete.views.common import PAGE_SIZE
from relation_client.customers.models import ConsentChannel
from socle.errors import DomainError
from socle.spreadsheet import csv_response

TARGET_FILTERS = {"": None, "contactables": True, "non-contactables": False}


def _campaign_or_404(request, pk: int) -> Campaign:
    campaign = selectors.campaign_for(agent=request.agent, pk=pk)
    if campaign is None:
        raise Http404(_("Aucune campagne de votre agence ne porte ce numéro."))
    return campaign


@require_GET
@permission_required(MANAGE_CAMPAIGNS)
def campaigns(request):
    listing = selectors.campaign_list(agent=request.agent).order_by("-starts_on", "-id")
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reconquete/campaigns.html", {"page": page})


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE_CAMPAIGNS)
def campaign_create_view(request):
    form = CampaignForm(request.POST or None, agent=request.agent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_create(
                by=request.agent,
                data=CampaignData(
                    name=data["name"],
                    offer_type=data["offer_type"],
                    offer_text=data["offer_text"],
                    offer_text_en=data["offer_text_en"],
                    channels=data["channels"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    agencies=list(data["agencies"]),
                    segments=list(data["segments"]),
                    reasons=data["reasons"],
                    lost_from=data["lost_from"],
                    lost_to=data["lost_to"],
                    quiet_days=data["quiet_days"],
                ),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(
                request, _("Brouillon enregistré : vérifiez-le, puis lancez la campagne.")
            )
            return redirect(campaign)
    status = 400 if request.method == "POST" else 200
    return render(request, "reconquete/campaign_form.html", {"form": form}, status=status)


@require_GET
@permission_required(MANAGE_CAMPAIGNS)
def campaign_detail(request, pk: int):
    campaign = _campaign_or_404(request, pk)
    shown = request.GET.get("cibles", "")
    if shown not in TARGET_FILTERS:
        shown = ""
    targets = selectors.campaign_targets(campaign=campaign, contactable=TARGET_FILTERS[shown])
    page = Paginator(targets, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "counts": selectors.campaign_counts(campaign=campaign),
        "sending": selectors.campaign_sending(campaign=campaign),
        "page": page,
        "shown": shown,
        "extra": f"&cibles={shown}" if shown else "",
        "channel_labels": [str(ConsentChannel(c).label) for c in campaign.channels],
        "reason_labels": [str(CaseReason(r).label) for r in campaign.reasons],
        "draft": campaign.status == CampaignStatus.DRAFT,
        "active": campaign.status == CampaignStatus.ACTIVE,
        "launch_form": LaunchForm(),
    }
    return render(request, "reconquete/campaign_detail.html", context)


@require_POST
@permission_required(MANAGE_CAMPAIGNS)
def campaign_launch_view(request, pk: int):
    campaign = _campaign_or_404(request, pk)
    form = LaunchForm(request.POST)
    form.is_valid()  # a lone optional checkbox: always valid
    try:
        report = campaign_launch(
            campaign=campaign,
            by=request.agent,
            include_already_targeted=form.cleaned_data["include_already_targeted"],
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if report.already_in_campaign:
            messages.info(
                request,
                _("%(count)s client(s) déjà dans une autre campagne en cours laissé(s) de côté.")
                % {"count": report.already_in_campaign},
            )
        messages.success(
            request,
            _(
                "Campagne lancée : %(targeted)s client(s) ciblé(s), %(contactable)s "
                "contactable(s), %(assigned)s attribué(s) à un agent."
            )
            % {
                "targeted": report.targeted,
                "contactable": report.contactable,
                "assigned": report.assigned,
            },
        )
        if report.emails or report.sms:
            messages.info(
                request,
                _("À envoyer : %(emails)s e-mail(s) et %(sms)s SMS personnalisés.")
                % {"emails": report.emails, "sms": report.sms},
            )
    return redirect(campaign)


@require_POST
@permission_required(MANAGE_CAMPAIGNS)
def campaign_close_view(request, pk: int):
    campaign = _campaign_or_404(request, pk)
    try:
        campaign_close(campaign=campaign, by=request.agent)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Campagne terminée : elle quitte les listes d'appels."))
    return redirect(campaign)


def _not_contactable_reason(target: CampaignTarget) -> str:
    if target.contactable and not target.contactable_now:
        return str(NotContactable.REFUSED.label)  # withdrawn since the launch
    return target.get_not_contactable_reason_display()


@require_GET
@permission_required(MANAGE_CAMPAIGNS)
def campaign_export(request, pk: int):
    campaign = _campaign_or_404(request, pk)
    targets = selectors.campaign_targets(campaign=campaign, contactable=None)
    header = [
        _("Client"),
        _("Contactable"),
        _("Canaux autorisés"),
        _("Raison"),
        _("Agent"),
        _("Interlocuteur habituel"),
        _("Résultat"),
        _("Motif de perte"),
        _("Perdu depuis"),
    ]
    rows = (
        [
            t.customer.full_name,
            _("oui") if t.contactable_now else _("non"),
            ", ".join(t.current_channels),
            _not_contactable_reason(t),
            t.agent.display_name if t.agent else "",
            _("oui") if t.is_usual_contact else _("non"),
            t.get_outcome_display(),
            t.case.get_reason_display(),
            t.case.lost_since.isoformat(),
        ]
        for t in targets.iterator(chunk_size=2000)
    )
    return csv_response(f"campagne-{campaign.pk}-cibles.csv", header, rows)
